/* penscope info: what each input is (format, size, orientation, resolution,
 * frames, duration), and whether it decodes. Never analyses. */
#include "cli/cli.h"
#include "core/file.h"
#include "core/status.h"
#include <math.h>
#include <string.h>

static const char usage[] =
    "usage: penscope info [--json] FILE...\n"
    "\n"
    "Prints the format, size, EXIF orientation and resolution of photos and\n"
    "scans, and the size, frame rate, frame count and duration of videos.\n"
    "Each image is also decoded (at 1/8 scale for JPEG) to check it is whole.\n"
    "\n"
    "  --json     one JSON object per input (JSON Lines)\n";

static ps_status info_image(const char *path, const cli_opts *o, cli_record *r, char *line, size_t cap)
{
    ps_decode_params dp;
    ps_decode_params_default(&dp);
    dp.scale_denom = 8; /* enough to prove the whole file decodes */
    ps_image img;
    ps_image_info info;
    ps_status rc = ps_image_decode_file(path, &dp, &img, &info);
    if (rc != PS_OK)
        return rc;
    ps_image_release(&img);
    ps_json_kbool(&r->j, "ok", true);
    ps_json_key(&r->j, "detail");
    ps_json_obj_begin(&r->j);
    ps_json_kstr(&r->j, "format", info.format);
    ps_json_kint(&r->j, "width", info.width);
    ps_json_kint(&r->j, "height", info.height);
    ps_json_kint(&r->j, "orientation", info.orientation);
    ps_json_kint(&r->j, "channels", info.channels);
    if (info.dpi_x > 0)
        ps_json_knum(&r->j, "dpi", info.dpi_x);
    else
        ps_json_knull(&r->j, "dpi");
    ps_json_obj_end(&r->j);
    int ow = info.width, oh = info.height;
    if (info.orientation >= 5) { /* transposed orientations swap the sides */
        ow = info.height;
        oh = info.width;
    }
    int n = snprintf(line, cap, "%s %dx%d", info.format, ow, oh);
    if (info.orientation != 1)
        n += snprintf(line + n, cap - n, " (stored %dx%d, orientation %d)", info.width, info.height,
                      info.orientation);
    if (info.dpi_x > 0)
        snprintf(line + n, cap - n, ", %.0f dpi", info.dpi_x);
    (void)o;
    return PS_OK;
}

static ps_status info_video(const char *path, const cli_opts *o, cli_record *r, char *line, size_t cap)
{
    ps_limits lim;
    ps_limits_default(&lim);
    ps_video_t *v = NULL;
    ps_status rc = ps_video_open_file(path, &lim, &v);
    if (rc != PS_OK)
        return rc;
    ps_video_info vi;
    rc = ps_video_get_info(v, &vi);
    if (rc != PS_OK) {
        ps_fail(rc, "%s", ps_video_errmsg(v));
        ps_video_free(v);
        return rc;
    }
    ps_video_free(v);
    ps_json_kbool(&r->j, "ok", true);
    ps_json_key(&r->j, "detail");
    ps_json_obj_begin(&r->j);
    ps_json_kstr(&r->j, "format", "video");
    ps_json_kstr(&r->j, "codec", vi.codec);
    ps_json_kint(&r->j, "width", vi.width);
    ps_json_kint(&r->j, "height", vi.height);
    ps_json_knum(&r->j, "fps", vi.fps > 0 ? vi.fps : NAN);
    if (vi.frames >= 0)
        ps_json_kint(&r->j, "frames", vi.frames);
    else
        ps_json_knull(&r->j, "frames");
    ps_json_knum(&r->j, "duration_s", vi.duration_s >= 0 ? vi.duration_s : NAN);
    ps_json_obj_end(&r->j);
    snprintf(line, cap, "video %s %dx%d, %.3g fps, %lld frames, %.2f s", vi.codec[0] ? vi.codec : "?",
             vi.width, vi.height, vi.fps, (long long)vi.frames, vi.duration_s);
    (void)o;
    return PS_OK;
}

int cmd_info(int argc, char **argv)
{
    static const char *const accepted[] = {"json", "quiet", NULL};
    cli_opts o;
    cli_opts_default(&o);
    int exit_code, first = cli_parse_files(argc, argv, &o, accepted, usage, "info", &exit_code);
    if (first < 0)
        return exit_code;
    int failed = 0;
    for (int i = first; i < argc; i++) {
        const char *path = argv[i];
        cli_record r;
        cli_record_begin(&r, path, "info");
        char line[512] = "";
        ps_status rc;
        ps_error_clear();
        switch (ps_input_kind_of(path)) {
        case PS_INPUT_IMAGE: rc = info_image(path, &o, &r, line, sizeof line); break;
        case PS_INPUT_VIDEO: rc = info_video(path, &o, &r, line, sizeof line); break;
        default:
            rc = ps_fail(PS_ERR_UNSUPPORTED, "'%s' is not a photo, scan or video penscope reads", path);
        }
        failed += cli_record_finish_line(&r, path, "info", rc, line, &o);
    }
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
