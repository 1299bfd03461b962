/*
 * The places cpk_discover searches on Windows (diag/discover.c; Linux's
 * are diag/discover_places.c): the CryptoPro containers in the registry
 * ("registry:", media/win/), the root of every removable drive and USB
 * disk (flash drives, the usual home of a container), the user's profile
 * folder, and the tokens when the Smart Card service answers.
 * CPKIT_DISCOVERY_ROOT (the tests) stands for the removable drives, which
 * a test cannot make.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>
#include <winioctl.h>

/* diag/'s own internal header, not container/'s (first in -I) */
#include "../../diag/internal.h"

static void
place(cpk_places *p, const char *path)
{
	if (p->n < CPK_PLACES_MAX)
		snprintf(p->v[p->n++].path, sizeof(p->v[0].path), "%s", path);
}

/* A fixed drive on the USB bus: a USB hard disk or SSD, and the flash
 * drives that call themselves fixed. The query needs no access right
 * (0), so no elevation. */
static int
usb_disk(wchar_t letter)
{
	wchar_t dev[8] = L"\\\\.\\X:";
	STORAGE_PROPERTY_QUERY q;
	STORAGE_DEVICE_DESCRIPTOR d;
	DWORD got;
	HANDLE h;
	BOOL ok;

	dev[4] = letter;
	h = CreateFileW(dev, 0, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
	    OPEN_EXISTING, 0, NULL);
	if (h == INVALID_HANDLE_VALUE)
		return 0;
	memset(&q, 0, sizeof(q));
	q.PropertyId = StorageDeviceProperty;
	q.QueryType = PropertyStandardQuery;
	memset(&d, 0, sizeof(d));
	ok = DeviceIoControl(h, IOCTL_STORAGE_QUERY_PROPERTY, &q, sizeof(q),
	    &d, sizeof(d), &got, NULL);
	CloseHandle(h);
	return ok && got >= offsetof(STORAGE_DEVICE_DESCRIPTOR, BusType) +
	    sizeof(d.BusType) && d.BusType == BusTypeUsb;
}

/* Drive roots of DRIVE_REMOVABLE (flash drives, card readers) and of USB
 * disks, at most `room` of them, from C: on: A: and B: are floppy
 * drives, which would only be slow to answer. */
static void
removable_drives(cpk_places *p, size_t room)
{
	DWORD mask = GetLogicalDrives();
	wchar_t root[4] = L"A:\\";
	char path[4] = "A:\\";
	UINT type;

	for (int d = 2; d < 26 && room > 0; d++) {
		if ((mask & (1UL << d)) == 0)
			continue;
		root[0] = (wchar_t)(L'A' + d);
		type = GetDriveTypeW(root);
		if (type != DRIVE_REMOVABLE &&
		    (type != DRIVE_FIXED || !usb_disk(root[0])))
			continue;
		path[0] = (char)('A' + d);
		place(p, path);
		room--;
	}
}

static void
profile(cpk_places *p)
{
	const wchar_t *w = _wgetenv(L"USERPROFILE");
	char *s;

	if (w == NULL || *w == L'\0' || (s = cpk_proc_utf8(w)) == NULL)
		return;
	if (strlen(s) < sizeof(p->v[0].path))
		place(p, s);
	free(s);
}

void
cpk_discover_places(cpk_places *p, int tokens)
{
	const char *root = getenv("CPKIT_DISCOVERY_ROOT");

	memset(p, 0, sizeof(*p));
	place(p, "registry:");
	/* room kept for the profile and the tokens */
	if (root != NULL && *root != '\0')
		place(p, root);
	else
		removable_drives(p, CPK_PLACES_MAX - 3);
	profile(p);
	if (tokens && cpk_smart_card_service())
		place(p, "pcsc:");
}
