/* Wine 8.0 lacks ProcessPrng, which Rust programs since 1.78 import from bcryptprimitives.dll
 * (rust-lang/rust#121337); Windows 10 and 11 have it. This stand-in, put into the Wine prefix's
 * system32 for the tests only, answers it from RtlGenRandom (SystemFunction036), which Wine has. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
