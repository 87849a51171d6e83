/* A converter that never finishes and has started a child of its own, as soffice.exe starts
 * soffice.bin. Both write a heartbeat (a growing count) to HANG_DIR\hang-parent.beat and
 * hang-child.beat; once both are killed the counts stop. Started with any arguments (those
 * dossier gives soffice) it is the parent; with the single argument "child" it is the child. */
#include <windows.h>
#include <stdio.h>

static void beat(const wchar_t *name) {
    wchar_t dir[MAX_PATH], path[MAX_PATH];
    if (!GetEnvironmentVariableW(L"HANG_DIR", dir, MAX_PATH)) return;
    _snwprintf(path, MAX_PATH, L"%ls\\%ls", dir, name);
    for (unsigned long n = 0;; n++) {
        HANDLE f = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                               CREATE_ALWAYS, 0, NULL);
        if (f != INVALID_HANDLE_VALUE) {
            char text[32];
            DWORD len = (DWORD)snprintf(text, sizeof text, "%lu\n", n), written;
            WriteFile(f, text, len, &written, NULL);
            CloseHandle(f);
        }
        Sleep(100);
    }
}

int wmain(int argc, wchar_t **argv) {
    if (argc == 2 && lstrcmpW(argv[1], L"child") == 0) {
        beat(L"hang-child.beat");
        return 0;
    }
    wchar_t self[MAX_PATH], line[MAX_PATH + 16];
    GetModuleFileNameW(NULL, self, MAX_PATH);
    _snwprintf(line, MAX_PATH + 16, L"\"%ls\" child", self);
    STARTUPINFOW si = {sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(self, line, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return 1;
    beat(L"hang-parent.beat");
    return 0;
}
