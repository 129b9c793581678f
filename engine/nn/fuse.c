/* Epilogue fusion. The palm models end most blocks with CONV 1x1 -> ADD
 * (skip connection) -> PRELU and the landmark models with CONV -> ADD; done
 * as separate ops, the ADD and the PRELU each read and write the whole
 * tensor again (about 12% of a palm inference). Where the conv's output is
 * used only by the ADD, and the ADD's only by the PRELU (neither being a
 * model output), the conv takes over both: it runs at the ADD's place (its
 * own inputs exist by then; the skip input may be computed after the conv,
 * as in the palm's down-sampling blocks) and applies the ADD and the PRELU
 * to each value before storing it. The result is the same arithmetic in
 * the same order, so the reference path stays the reference. */
#include "nn/model.h"
#include "core/alloc.h"
#include <string.h>

/* uses[v]: how many op inputs read v, plus one if v is a model output */
static void count_uses(const ps_nn_model *m, int *uses)
{
    memset(uses, 0, (size_t)m->nvalues * sizeof *uses);
    for (int i = 0; i < m->nops; i++)
        for (int k = 0; k < m->ops[i].nin; k++)
            if (m->ops[i].in[k] >= 0)
                uses[m->ops[i].in[k]]++;
    for (int i = 0; i < m->noutputs; i++)
        uses[m->outputs[i]]++;
}

/* The op that reads v (v has exactly one use), at or after op `from`. */
static int consumer(const ps_nn_model *m, int v, int from)
{
    for (int i = from; i < m->nops; i++)
        for (int k = 0; k < m->ops[i].nin; k++)
            if (m->ops[i].in[k] == v)
                return i;
    return -1;
}

int nn_fuse_epilogues(ps_nn_model *m)
{
    int *uses = ps_malloc((size_t)(m->nvalues ? m->nvalues : 1) * sizeof *uses);
    char *dead = ps_calloc((size_t)(m->nops ? m->nops : 1), 1);
    if (!uses || !dead) { /* fusion is optional: without memory the graph runs unfused */
        ps_free(uses);
        ps_free(dead);
        return 0;
    }
    count_uses(m, uses);
    int removed = 0;
    for (int i = 0; i < m->nops; i++) {
        nn_op *c = &m->ops[i];
        if (dead[i] || c->type != NN_OP_CONV || c->fused_add || uses[c->out] != 1)
            continue;
        int j = consumer(m, c->out, i + 1);
        if (j < 0 || m->ops[j].type != NN_OP_ADD)
            continue;
        nn_op *add = &m->ops[j];
        int skip = add->in[0] == c->out ? add->in[1] : add->in[0];
        if (skip == c->out || m->values[skip].count != m->values[c->out].count)
            continue;
        nn_op fused = *c;
        fused.fused_add = 1;
        fused.in[3] = skip;
        fused.res_act = add->act;
        fused.out = add->out;
        int k = uses[add->out] == 1 ? consumer(m, add->out, j + 1) : -1;
        if (k >= 0 && m->ops[k].type == NN_OP_PRELU && m->ops[k].in[0] == add->out &&
            m->values[m->ops[k].in[1]].count == (size_t)c->g.oc) {
            fused.fused_prelu = 1;
            fused.in[4] = m->ops[k].in[1];
            fused.out = m->ops[k].out;
            dead[k] = 1;
            removed++;
        }
        fused.nin = fused.fused_prelu ? 5 : 4;
        fused.macs = c->macs;
        m->ops[j] = fused; /* runs where the ADD ran */
        dead[i] = 1;
        removed++;
    }
    int n = 0;
    for (int i = 0; i < m->nops; i++)
        if (!dead[i])
            m->ops[n++] = m->ops[i];
    m->nops = n;
    ps_free(uses);
    ps_free(dead);
    return removed;
}
