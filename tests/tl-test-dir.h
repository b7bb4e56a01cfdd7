/* tl-test-dir.h: a scratch directory per test, and reading files back. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty directory under the temporary directory, named PREFIX-XXXXXX. */
char  *tl_test_dir_new    (const char *prefix);
/* Removes DIR's files and DIR itself, and frees the string. */
void   tl_test_dir_remove (char       *dir);
guint  tl_test_dir_count  (const char *dir);
/* The whole file; the test fails if it cannot be read. */
char  *tl_test_read_file  (const char *path);

G_END_DECLS
