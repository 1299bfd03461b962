/*
 * Force-included (with -Dmain=cpk_main) in the file holding a program's
 * main(): on Windows the entry is wmain (wmain.c), which hands main the
 * arguments in UTF-8, as on Linux. This declares the renamed main.
 */
#ifndef CPKIT_COMPAT_WMAIN_H
#define CPKIT_COMPAT_WMAIN_H

int	cpk_main(int argc, char **argv);

#endif
