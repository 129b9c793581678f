/* The page analyser's workspace: the large buffers of a page (working gray
 * images, masks, labels) kept from one page to the next, so a warm analyser
 * allocates none of them and the kernel zeroes no fresh pages. Results
 * (ps_page_t) borrow their buffers and hand them back when freed; the
 * workspace lives until its analyser and every result are gone. */
#include "page/page_internal.h"
#include "core/alloc.h"
#include "core/status.h"
#include <pthread.h>
#include <string.h>

#define WS_SLOTS 12
#define WS_HEAD 64 /* header before each block: its size; keeps 64-byte alignment */

struct pg_ws {
    pthread_mutex_t mu;
    int refs;
    void *block[WS_SLOTS]; /* free blocks (header included) */
    size_t size[WS_SLOTS];
    int n;
};

pg_ws *pg_ws_new(void)
{
    pg_ws *ws = ps_calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    pthread_mutex_init(&ws->mu, NULL);
    ws->refs = 1;
    return ws;
}

void pg_ws_ref(pg_ws *ws)
{
    if (!ws)
        return;
    pthread_mutex_lock(&ws->mu);
    ws->refs++;
    pthread_mutex_unlock(&ws->mu);
}

void pg_ws_unref(pg_ws *ws)
{
    if (!ws)
        return;
    pthread_mutex_lock(&ws->mu);
    int last = --ws->refs == 0;
    pthread_mutex_unlock(&ws->mu);
    if (!last)
        return;
    for (int i = 0; i < ws->n; i++)
        ps_aligned_free(ws->block[i]);
    pthread_mutex_destroy(&ws->mu);
    ps_free(ws);
}

void *pg_ws_get(pg_ws *ws, size_t bytes)
{
    if (!ws)
        return ps_aligned_alloc(bytes);
    if (bytes > SIZE_MAX - WS_HEAD - (1u << 20))
        return NULL;
    pthread_mutex_lock(&ws->mu);
    int best = -1;
    for (int i = 0; i < ws->n; i++) /* the smallest free block that fits */
        if (ws->size[i] >= bytes && (best < 0 || ws->size[i] < ws->size[best]))
            best = i;
    uint8_t *b = NULL;
    if (best >= 0) {
        b = ws->block[best];
        ws->block[best] = ws->block[--ws->n];
        ws->size[best] = ws->size[ws->n];
    }
    pthread_mutex_unlock(&ws->mu);
    if (!b) {
        /* rounded up to 1 MB so a slightly larger page fits next time */
        size_t size = (bytes + ((size_t)1 << 20) - 1) & ~(((size_t)1 << 20) - 1);
        b = ps_aligned_alloc(size + WS_HEAD);
        if (!b)
            return NULL;
        memcpy(b, &size, sizeof size);
    }
    return b + WS_HEAD;
}

void pg_ws_put(pg_ws *ws, void *p)
{
    if (!p)
        return;
    if (!ws) {
        ps_aligned_free(p);
        return;
    }
    uint8_t *b = (uint8_t *)p - WS_HEAD;
    size_t size;
    memcpy(&size, b, sizeof size);
    pthread_mutex_lock(&ws->mu);
    if (ws->n == WS_SLOTS) { /* full: drop the smallest */
        int s = 0;
        for (int i = 1; i < ws->n; i++)
            if (ws->size[i] < ws->size[s])
                s = i;
        if (ws->size[s] < size) {
            ps_aligned_free(ws->block[s]);
            ws->block[s] = b;
            ws->size[s] = size;
            b = NULL;
        }
    } else {
        ws->block[ws->n] = b;
        ws->size[ws->n++] = size;
        b = NULL;
    }
    pthread_mutex_unlock(&ws->mu);
    ps_aligned_free(b);
}

ps_status pg_image_get(pg_ws *ws, ps_image *img, int w, int h)
{
    memset(img, 0, sizeof *img);
    if (w <= 0 || h <= 0 || w > PS_IMAGE_MAX_SIDE || h > PS_IMAGE_MAX_SIDE)
        return ps_fail(PS_ERR_LIMIT, "bad working image size %dx%d", w, h);
    size_t stride = ((size_t)w + 63) & ~(size_t)63;
    img->data = pg_ws_get(ws, stride * (size_t)h);
    if (!img->data)
        return ps_fail(PS_ERR_NOMEM, "cannot allocate a %dx%d image", w, h);
    img->width = w;
    img->height = h;
    img->channels = 1;
    img->stride = stride;
    return PS_OK;
}

void pg_image_put(pg_ws *ws, ps_image *img)
{
    pg_ws_put(ws, img->data);
    memset(img, 0, sizeof *img);
}
