/* Every widget rendered headless in locale C on TERM=vt100. */
#define RENDER_LOCALE "C"
#define RENDER_TERM   "vt100"
#include "tests/unit/widgets_render_cases.h"

int main(void)
{
    if (headless_open(RENDER_LOCALE, RENDER_TERM, 24, 80) < 0) {
        printf("not ok - setup: no locale C or no terminfo for vt100\n");
        return 1;
    }
    return run_render_cases();
}
