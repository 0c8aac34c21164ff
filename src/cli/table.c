/* table.c - the text tables of `hull list` and `hull container ls`: Go's tabwriter as runc and Docker use it, each
 * column as wide as its widest cell plus a padding, at least a minimum, the last column unpadded.
 * Must never cut a cell: a long one widens its column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/table.h"
#include "util/xalloc.h"

void cli_table_init(struct cli_table *t, const char *const *heads, size_t ncol)
{
	*t = (struct cli_table){ .ncol = ncol };
	cli_table_row(t, heads);
}

void cli_table_row(struct cli_table *t, const char *const *cells)
{
	t->cells = xreallocarray(t->cells, (t->rows + 1) * t->ncol, sizeof(char *));
	for (size_t c = 0; c < t->ncol; c++)
		t->cells[t->rows * t->ncol + c] = xstrdup(cells[c] ? cells[c] : "");
	t->rows++;
}

void cli_table_print(struct cli_table *t, size_t min, size_t pad)
{
	size_t *width = xcalloc(t->ncol ? t->ncol : 1, sizeof(size_t));
	for (size_t c = 0; c < t->ncol; c++) {
		for (size_t r = 0; r < t->rows; r++) {
			size_t l = strlen(t->cells[r * t->ncol + c]);
			if (l > width[c])
				width[c] = l;
		}
		width[c] = width[c] + pad < min ? min : width[c] + pad;
	}
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < t->ncol; c++) {
			const char *cell = t->cells[r * t->ncol + c];
			if (c == t->ncol - 1)
				printf("%s\n", cell);
			else
				printf("%-*s", (int)width[c], cell);
		}
	free(width);
	cli_table_free(t);
}

void cli_table_free(struct cli_table *t)
{
	for (size_t i = 0; i < t->rows * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	*t = (struct cli_table){ 0 };
}
