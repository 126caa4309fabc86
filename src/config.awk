# SPDX-License-Identifier: MIT
# Kconfig + .config -> config.h: CFG_X for every symbol Kconfig declares,
# 1/0 for booleans and the value for int/string, so C can say if (CFG_X).
FNR == 1 { file++ }
file == 1 && $1 ~ /^(menu)?config$/ { sym[$2] = 1; order[n++] = $2 }
file == 2 && /^CONFIG_[A-Za-z0-9_]+=/ {
	eq = index($0, "="); name = substr($0, 8, eq - 8); v = substr($0, eq + 1)
	val[name] = (v == "y") ? 1 : (v == "n") ? 0 : v
}
END {
	print "/* Generated from Kconfig and the .config: do not edit. */"
	print "#ifndef DMBOOT_CONFIG_H\n#define DMBOOT_CONFIG_H"
	for (i = 0; i < n; i++) {
		s = order[i]
		if (done[s]++) continue
		print "#define CFG_" s " " ((s in val) ? val[s] : 0)
	}
	print "#endif"
}
