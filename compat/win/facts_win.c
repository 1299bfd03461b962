/*
 * The system's facts for a diagnostic bundle on Windows (diag/facts.c;
 * Linux's are diag/facts_system.c): the Windows version as the kernel
 * reports it (RtlGetVersion: GetVersionEx lies to programs without a
 * manifest), its product name, the processor architecture of the
 * machine, the host, the language, the user, whether the Smart Card
 * service answers, and whether CryptoPro CSP is installed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

/* diag/'s own internal header, not container/'s (first in -I) */
#include "../../diag/internal.h"

typedef LONG (WINAPI *rtl_get_version_fn)(OSVERSIONINFOW *);

static int
kernel_version(OSVERSIONINFOW *v)
{
	HMODULE nt = GetModuleHandleW(L"ntdll.dll");
	rtl_get_version_fn get;
	FARPROC p;

	memset(v, 0, sizeof(*v));
	v->dwOSVersionInfoSize = sizeof(*v);
	if (nt == NULL || (p = GetProcAddress(nt, "RtlGetVersion")) == NULL)
		return 0;
	/* GetProcAddress's generic pointer to the function's own type */
	memcpy(&get, &p, sizeof(get));
	return get(v) == 0;
}

static const char *
machine(void)
{
	SYSTEM_INFO si;

	GetNativeSystemInfo(&si);
	switch (si.wProcessorArchitecture) {
	case PROCESSOR_ARCHITECTURE_AMD64:
		return "x86_64";
	case PROCESSOR_ARCHITECTURE_ARM64:
		return "aarch64";
	case PROCESSOR_ARCHITECTURE_INTEL:
		return "i686";
	default:
		return "unknown";
	}
}

/* A REG_SZ value of HKLM as UTF-8 into out; 0 when there is none. */
static int
hklm_string(const wchar_t *key, const wchar_t *name, char *out, size_t cap)
{
	wchar_t w[256];
	DWORD size = sizeof(w);
	char *s;
	int ok = 0;

	if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_SZ, NULL,
	    w, &size) != ERROR_SUCCESS)
		return 0;
	w[255] = L'\0';
	if ((s = cpk_proc_utf8(w)) != NULL) {
		snprintf(out, cap, "%.100s", s);
		ok = 1;
	}
	free(s);
	return ok;
}

static void
wide_fact(const wchar_t *w, char *out, size_t cap)
{
	char *s = w != NULL && *w != L'\0' ? cpk_proc_utf8(w) : NULL;

	snprintf(out, cap, "%.60s", s != NULL ? s : "unknown");
	free(s);
}

/* CryptoPro CSP's own folder under Program Files */
static int
cryptopro_csp(void)
{
	const wchar_t *pf = _wgetenv(L"ProgramFiles");
	wchar_t path[MAX_PATH];
	DWORD a;

	if (pf == NULL || _snwprintf(path, MAX_PATH, L"%ls\\Crypto Pro\\CSP",
	    pf) < 0)
		return 0;
	path[MAX_PATH - 1] = L'\0';
	a = GetFileAttributesW(path);
	return a != INVALID_FILE_ATTRIBUTES &&
	    (a & FILE_ATTRIBUTE_DIRECTORY) != 0;
}

void
cpk_facts_system(cpk_facts *f)
{
	static const wchar_t nt[] =
	    L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
	OSVERSIONINFOW v;
	wchar_t host[256], lang[LOCALE_NAME_MAX_LENGTH];
	DWORD n = 256;
	const char *l;
	char name[128];

	snprintf(f->os, sizeof(f->os), "unknown");
	if (hklm_string(nt, L"ProductName", name, sizeof(name)))
		snprintf(f->os, sizeof(f->os), "%s", name);
	if (kernel_version(&v))
		snprintf(f->kernel, sizeof(f->kernel),
		    "Windows_NT %lu.%lu.%lu %s", (unsigned long)v.dwMajorVersion,
		    (unsigned long)v.dwMinorVersion,
		    (unsigned long)v.dwBuildNumber, machine());
	if (GetComputerNameExW(ComputerNameDnsHostname, host, &n))
		wide_fact(host, f->host, sizeof(f->host));
	else
		snprintf(f->host, sizeof(f->host), "unknown");
	/* the variables libintl reads first, else the Windows language */
	l = getenv("LC_ALL");
	if (l == NULL || *l == '\0')
		l = getenv("LANG");
	if (l != NULL && *l != '\0')
		snprintf(f->locale, sizeof(f->locale), "%s", l);
	else if (GetUserDefaultLocaleName(lang, LOCALE_NAME_MAX_LENGTH) > 0)
		wide_fact(lang, f->locale, sizeof(f->locale));
	else
		snprintf(f->locale, sizeof(f->locale), "C");
	wide_fact(_wgetenv(L"USERNAME"), f->user, sizeof(f->user));
	f->pcscd = cpk_smart_card_service();
	/* linked into the .exe (scripts/win-deps.sh), no package */
	snprintf(f->gost_engine, sizeof(f->gost_engine), "built in");
	snprintf(f->pcsclite, sizeof(f->pcsclite), "winscard.dll");
	f->csp = cryptopro_csp();
	if (f->csp)
		snprintf(f->csp_version, sizeof(f->csp_version), "unknown");
}
