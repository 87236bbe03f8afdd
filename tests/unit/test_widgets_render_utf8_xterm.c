/* Every widget rendered headless in locale C.UTF-8 on TERM=xterm-256color. */
#define RENDER_LOCALE "C.UTF-8"
#define RENDER_TERM   "xterm-256color"
#include "tests/unit/widgets_render_cases.h"

int main(void)
{
    if (headless_open(RENDER_LOCALE, RENDER_TERM, 24, 80) < 0) {
        printf("not ok - setup: no locale C.UTF-8 or no terminfo for xterm-256color\n");
        return 1;
    }
    return run_render_cases();
}
