/* table.h - text tables as Go's tabwriter prints them (runc's list, Docker's ps). */
#ifndef HULL_CLI_TABLE_H
#define HULL_CLI_TABLE_H

#include <stddef.h>

struct cli_table {
	size_t ncol, rows;
	char **cells; /* rows x ncol, copies */
};

/* A table of ncol columns whose first row is heads. */
void cli_table_init(struct cli_table *t, const char *const *heads, size_t ncol);
/* One row of ncol cells (NULL prints as empty), copied. */
void cli_table_row(struct cli_table *t, const char *const *cells);
/* Printed (each column its widest cell + pad, at least min), then freed. */
void cli_table_print(struct cli_table *t, size_t min, size_t pad);
/* Freed unprinted (again after print: nothing). */
void cli_table_free(struct cli_table *t);

#endif
