/* The subcommands of cpkit-passwd, one file each. */
#ifndef CPKIT_PASSWD_H
#define CPKIT_PASSWD_H

/* argv starts after "recover"; returns the exit code. */
int	passwd_recover(int argc, char **argv);

#endif
