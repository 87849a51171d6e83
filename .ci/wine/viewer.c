/* Stands in for the PDF viewer a double-click opens: writes the file it was given to viewer.txt
 * in the current folder, so a test can see what would have been shown. */
#include <stdio.h>
#include <wchar.h>

int wmain(int argc, wchar_t **argv) {
    FILE *f = _wfopen(L"viewer.txt", L"w, ccs=UTF-8");
    if (!f) return 1;
    for (int i = 1; i < argc; i++) fwprintf(f, L"%ls\n", argv[i]);
    fclose(f);
    return 0;
}
