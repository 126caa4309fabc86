/* SPDX-License-Identifier: MIT */
/* Included before src/main.c, which the tests build with -Dmain=dmboot_main:
 * the prototype that -Wmissing-prototypes asks for. */
int main(int argc, char **argv);
