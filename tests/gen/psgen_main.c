/* psgen: command-line front end of the worksheet generator, for making test
 * pages by hand and for the bench.
 *   psgen [options] OUT.png|OUT.jpg [TRUTH.json] */
#include "psgen.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: psgen [options] OUT.png|OUT.jpg [TRUTH.json]\n"
    "  --dpi N            render resolution (200)\n"
    "  --page WxH         page size in mm (148x210)\n"
    "  --ruling R         none|single|primary|seyes\n"
    "  --pitch MM         ruling pitch (single 8, seyes 2, primary 4 x-heights)\n"
    "  --font NAME        fontconfig family (Andika)\n"
    "  --text TEXT        lines separated by \\n\n"
    "  --marks M          per character: r mirrored, o open, u/d moved up/down, t touching\n"
    "  --wave MM          wavy lines: letters ride a sine of this amplitude (60 mm long)\n"
    "  --touch P          chance that a letter is slid left until it touches the one before\n"
    "  --touch-depth MM   overlap of touching letters' ink past the first contact (0.1)\n"
    "  --x-height MM  --letter-gap MM  --word-gap MM  --slant DEG  --slant-sd DEG\n"
    "  --size-sd R  --baseline-sd MM  --line-angle-sd DEG  --margin-drift MM\n"
    "  --tremor MM  --seed N  --rgb  --no-dpi (write no resolution into the file)\n"
    "  --file-dpi N       write this resolution into the file instead of --dpi\n"
    "  --photo            simulate a phone photo (tilt 0.08, light 0.4, blur 1, noise 4)\n"
    "  --hand             with --photo: a hand and a pencil lying on the page\n"
    "  --blur PX          with --photo: the blur (a whole radius, px), instead of 1\n"
    "  --quality Q        JPEG quality (90)\n";

int main(int argc, char **argv)
{
    psgen_params p;
    psgen_params_default(&p);
    int no_dpi = 0, quality = 90;
    double file_dpi = 0, blur = -1;
    static const struct option opts[] = {
        {"dpi", 1, 0, 'D'}, {"page", 1, 0, 'P'}, {"ruling", 1, 0, 'R'}, {"pitch", 1, 0, 'p'},
        {"font", 1, 0, 'f'}, {"text", 1, 0, 't'}, {"marks", 1, 0, 'm'}, {"x-height", 1, 0, 'x'},
        {"letter-gap", 1, 0, 'l'}, {"word-gap", 1, 0, 'w'}, {"slant", 1, 0, 's'}, {"slant-sd", 1, 0, 'S'},
        {"size-sd", 1, 0, 'z'}, {"baseline-sd", 1, 0, 'b'}, {"line-angle-sd", 1, 0, 'a'},
        {"margin-drift", 1, 0, 'M'}, {"tremor", 1, 0, 'T'}, {"seed", 1, 0, 'e'}, {"rgb", 0, 0, 'c'},
        {"no-dpi", 0, 0, 'n'}, {"photo", 0, 0, 'o'}, {"quality", 1, 0, 'q'}, {"file-dpi", 1, 0, 'F'}, {"hand", 0, 0, 'H'}, {"help", 0, 0, 'h'},
        {"touch", 1, 0, 'y'}, {"touch-depth", 1, 0, 'Y'}, {"wave", 1, 0, 'v'}, {"blur", 1, 0, 'B'},
        {0, 0, 0, 0}};
    int c;
    static char text_buf[8192];
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'D': p.dpi = atof(optarg); break;
        case 'P': sscanf(optarg, "%lfx%lf", &p.page_w_mm, &p.page_h_mm); break;
        case 'R':
            p.ruling = !strcmp(optarg, "single") ? PSGEN_SINGLE : !strcmp(optarg, "primary") ? PSGEN_PRIMARY
                     : !strcmp(optarg, "seyes") ? PSGEN_SEYES : PSGEN_NONE;
            break;
        case 'p': p.ruling_pitch_mm = atof(optarg); break;
        case 'f': p.font = optarg; break;
        case 't': { /* turn the two characters \n into newlines */
            size_t k = 0;
            for (const char *s = optarg; *s && k + 1 < sizeof text_buf; s++) {
                if (s[0] == '\\' && s[1] == 'n') {
                    text_buf[k++] = '\n';
                    s++;
                } else
                    text_buf[k++] = *s;
            }
            text_buf[k] = 0;
            p.text = text_buf;
            break;
        }
        case 'm': p.marks = optarg; break;
        case 'x': p.x_height_mm = atof(optarg); break;
        case 'l': p.letter_gap_mm = atof(optarg); break;
        case 'w': p.word_gap_mm = atof(optarg); break;
        case 's': p.slant_deg = atof(optarg); break;
        case 'S': p.slant_sd_deg = atof(optarg); break;
        case 'z': p.size_sd = atof(optarg); break;
        case 'b': p.baseline_sd_mm = atof(optarg); break;
        case 'a': p.line_angle_sd_deg = atof(optarg); break;
        case 'M': p.margin_drift_mm = atof(optarg); break;
        case 'T': p.tremor_mm = atof(optarg); break;
        case 'e': p.seed = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'c': p.rgb = 1; break;
        case 'n': no_dpi = 1; break;
        case 'o':
            psgen_params_phone_photo(&p);
            break;
        case 'q': quality = atoi(optarg); break;
        case 'F': file_dpi = atof(optarg); break;
        case 'H': p.photo_hand = 1; break;
        case 'B': blur = atof(optarg); break;
        case 'y': p.touch_prob = atof(optarg); break;
        case 'v': p.line_wave_mm = atof(optarg); break;
        case 'Y': p.touch_depth_mm = atof(optarg); break;
        case 'h': fputs(usage, stdout); return 0;
        default: fputs(usage, stderr); return 2;
        }
    }
    if (blur >= 0)
        p.photo_blur_px = blur;
    if (optind >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    const char *out = argv[optind];
    const char *truth = optind + 1 < argc ? argv[optind + 1] : NULL;
    ps_image img;
    psgen_truth t;
    ps_status rc = psgen_render(&p, &img, &t);
    if (rc != PS_OK) {
        fprintf(stderr, "psgen: %s\n", ps_last_error());
        return 1;
    }
    double dpi = no_dpi || p.photo ? 0 : file_dpi > 0 ? file_dpi : p.dpi;
    size_t n = strlen(out);
    if (n > 4 && (!strcmp(out + n - 4, ".jpg") || !strcmp(out + n - 5, ".jpeg")))
        rc = psgen_write_jpeg(out, &img, quality, dpi);
    else
        rc = psgen_write_png(out, &img, dpi);
    if (rc == PS_OK && truth)
        rc = psgen_truth_write_json(&t, truth);
    if (rc != PS_OK)
        fprintf(stderr, "psgen: %s\n", ps_last_error());
    ps_image_release(&img);
    psgen_truth_release(&t);
    return rc == PS_OK ? 0 : 1;
}
