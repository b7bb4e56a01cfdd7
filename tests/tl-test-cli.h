/* tl-test-cli.h: running the tcpladder executable (TL_CLI) as a user would. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint   status;    /* exit status, -1 if killed */
  char  *out;
  gsize  out_len;
  char  *err;
} TlTestResult;

/* Runs TL_CLI with the NULL-terminated arguments; fails the test if it
 * cannot be started. */
void   tl_test_run_cli      (TlTestResult *result,
                             ...) G_GNUC_NULL_TERMINATED;
void   tl_test_result_clear (TlTestResult *result);
/* A bundled scenario by file name (TL_SCENARIOS_DIR). */
char  *tl_test_scenario     (const char   *name);

G_END_DECLS
