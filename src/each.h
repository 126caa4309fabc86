/* SPDX-License-Identifier: MIT */
#ifndef DMBOOT_EACH_H
#define DMBOOT_EACH_H

#include "cli.h"

/* multi: more than one device is being shown (dmsetup's "name: " prefix);
 * ctx: what the command passed to cli_each_device, carried between calls. */
typedef int each_fn(struct cli *c, const char *name, int multi, void *ctx);
int cli_each_device(struct cli *c, each_fn *fn, void *ctx);
/* One line for a per-device failure; ENXIO reads "Device does not exist". */
int cli_dev_fail(struct cli *c, const char *name, int err);

enum dev_fmt { FMT_DEVNO, FMT_BLKDEVNAME, FMT_DEVNAME };
/* -o devno|blkdevname|devname, matched by prefix as dmsetup does; -1 if
 * none matches. */
int cli_dev_format(struct cli *c);
/* "(maj<sep>min)" or "(name)" as -o asked. */
void cli_print_dev(int fmt, uint32_t major, uint32_t minor, const char *sep);

#endif
