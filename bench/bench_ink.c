/* bench_ink: speed of the ink pipeline (read .svc + all METRICS.md §3 ink
 * metrics) on the PaHaW recordings, as samples per second and as a ratio to
 * BDALab's Python library on the same files.
 *
 * BDALab handwriting-features cannot be installed here (no pip), so its
 * time is the figure measured for shared/data/ink/bdalab_reference.json on
 * this machine class: median 0.064 s, mean 0.083 s per PaHaW file (see
 * shared/data/ink/BDALAB.md). penscope's time per file is the median of
 * --reps runs of read-from-disk + parse + analyse, the same work, in thread
 * CPU time.
 *
 * usage: bench_ink [--reps N] [DIR]   (DIR default: $PS_SHARED/data/ink/pahaw,
 *        else ../shared/data/ink/pahaw) */
#include "penscope.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "bench_time.h"

#define BDALAB_MEDIAN_S 0.064
#define BDALAB_MEAN_S 0.083

/* This thread's CPU time (user + kernel): the machine is shared with
 * builds, and wall time swings with their load; the work is one thread. */
static char **files;
static int nfiles, capfiles;

static void collect(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            collect(p, depth + 1);
        else if (strlen(p) > 4 && !strcmp(p + strlen(p) - 4, ".svc")) {
            if (nfiles == capfiles) {
                capfiles = capfiles ? capfiles * 2 : 64;
                files = realloc(files, capfiles * sizeof *files);
            }
            files[nfiles++] = strdup(p);
        }
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    int reps = 20;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--help")) {
            puts("usage: bench_ink [--reps N] [DIR]\n"
                 "Reads and analyses every .svc under DIR (default: the shared PaHaW folder)\n"
                 "N times each; prints samples/s and the ratio to BDALab's per-file time.");
            return 0;
        } else
            dir = argv[i];
    }
    char def[4096];
    if (!dir) {
        const char *sh = getenv("PS_SHARED");
        snprintf(def, sizeof def, "%s/data/ink/pahaw", sh ? sh : "../shared");
        dir = def;
    }
    if (reps < 1)
        reps = 1;
    collect(dir, 0);
    if (!nfiles) {
        fprintf(stderr, "bench_ink: no .svc files under '%s'\n", dir);
        return 1;
    }
    ps_ink_read_params rp;
    ps_ink_read_params_default(&rp);
    rp.columns = "y,x,time,pen_status,azimuth,altitude,pressure"; /* PaHaW, as the reference */
    rp.lpi = 1000;
    rp.fs_hz = 133;
    double *per_file = malloc(nfiles * sizeof *per_file), *runs = malloc(reps * sizeof *runs);
    double t_read = 0, t_analyse = 0;
    long long samples = 0;
    for (int f = 0; f < nfiles; f++) {
        for (int r = 0; r < reps; r++) {
            double t0 = bench_thread_cpu_s();
            ps_ink ink;
            if (ps_ink_read_file(files[f], PS_INK_AUTO, &rp, &ink) != PS_OK) {
                fprintf(stderr, "bench_ink: %s: %s\n", files[f], ps_last_error());
                return 1;
            }
            double t1 = bench_thread_cpu_s();
            ps_ink_result res;
            if (ps_ink_analyse(&ink, NULL, &res) != PS_OK) {
                fprintf(stderr, "bench_ink: %s: %s\n", files[f], ps_last_error());
                return 1;
            }
            double t2 = bench_thread_cpu_s();
            ps_ink_result_release(&res);
            if (r == 0)
                samples += (long long)ink.n;
            ps_ink_release(&ink);
            runs[r] = t2 - t0;
            t_read += t1 - t0;
            t_analyse += t2 - t1;
        }
        per_file[f] = bench_median(runs, reps);
    }
    double total = 0;
    for (int f = 0; f < nfiles; f++)
        total += per_file[f];
    double mean = total / nfiles, med = bench_median(per_file, nfiles);
    printf("files                 %d PaHaW .svc, %lld samples, %d runs each\n", nfiles, samples, reps);
    printf("penscope per file     median %.1f us, mean %.1f us (read + parse + all ink metrics, CPU time)\n", med * 1e6,
           mean * 1e6);
    printf("throughput            %.2f M samples/s (read+parse %.2f, analyse %.2f)\n",
           samples / total / 1e6, samples * (double)reps / t_read / 1e6, samples * (double)reps / t_analyse / 1e6);
    printf("BDALab per file       median %.3f s, mean %.3f s (given figure: the Python library is not\n"
           "                      installable here; measured on this machine class for the reference)\n",
           BDALAB_MEDIAN_S, BDALAB_MEAN_S);
    printf("ratio (BDALab/ours)   median %.0fx, mean %.0fx (goal: at least 100x)\n", BDALAB_MEDIAN_S / med,
           BDALAB_MEAN_S / mean);
    for (int f = 0; f < nfiles; f++)
        free(files[f]);
    free(files);
    free(per_file);
    free(runs);
    return 0;
}
