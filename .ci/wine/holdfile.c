/* Holds a file open with no sharing, as a PDF viewer holds a binder or Excel a CSV, so that
 * Windows (and Wine) refuse to replace or rename it.
 * Usage: holdfile FILE READY — opens FILE, creates READY, and holds FILE until READY is deleted
 * (at most two minutes). */
#include <windows.h>
#include <stdio.h>

int wmain(int argc, wchar_t **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: holdfile FILE READY\n");
        return 2;
    }
    HANDLE f = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "holdfile: cannot open the file (error %lu)\n", GetLastError());
        return 1;
    }
    HANDLE r = CreateFileW(argv[2], GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, CREATE_ALWAYS, 0, NULL);
    if (r == INVALID_HANDLE_VALUE) return 1;
    CloseHandle(r);
    for (int i = 0; i < 1200 && GetFileAttributesW(argv[2]) != INVALID_FILE_ATTRIBUTES; i++) Sleep(100);
    CloseHandle(f);
    return 0;
}
