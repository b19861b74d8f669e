/*
 * The Linux glibc build of @surrealdb/node 2.x was linked against glibc >= 2.38, whose headers turn
 * strtol/sscanf/... into the C23 entry points __isoc23_*. Older glibc (Debian 12 ships 2.36) lacks
 * them, so the addon fails to load with "undefined symbol: __isoc23_strtol". This file provides those
 * names on top of the classic functions. It is loaded with RTLD_GLOBAL before the addon (see
 * engine.mjs), so the dynamic linker resolves the addon's references against it.
 *
 * Difference: the C23 variants also accept a "0b" prefix for base 0 and 2; the classic ones do not.
 * RocksDB/SurrealDB only use them to parse decimal numbers, so that does not matter here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

long __isoc23_strtol(const char *s, char **end, int base) { return strtol(s, end, base); }
unsigned long __isoc23_strtoul(const char *s, char **end, int base) { return strtoul(s, end, base); }
long long __isoc23_strtoll(const char *s, char **end, int base) { return strtoll(s, end, base); }
unsigned long long __isoc23_strtoull(const char *s, char **end, int base) { return strtoull(s, end, base); }
int __isoc23_vsscanf(const char *s, const char *format, va_list ap) { return vsscanf(s, format, ap); }

int __isoc23_sscanf(const char *s, const char *format, ...) {
	va_list ap;
	va_start(ap, format);
	int n = vsscanf(s, format, ap);
	va_end(ap);
	return n;
}

/* An empty Node-API module, so that process.dlopen() accepts this file. */
void *napi_register_module_v1(void *env, void *exports) {
	(void)env;
	return exports;
}
