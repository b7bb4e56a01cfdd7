/* tl-test-cli.c: running the tcpladder executable from tests. */
#include "tl-test-cli.h"

#include <string.h>
#include <sys/wait.h>

void
tl_test_run_cli (TlTestResult *result,
                 ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TL_CLI"));
  va_start (args, result);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &result->out, &result->err, &result->status, &error);
  g_assert_no_error (error);
  result->out_len = strlen (result->out);
  result->status = WIFEXITED (result->status) ? WEXITSTATUS (result->status) : -1;
}

void
tl_test_result_clear (TlTestResult *result)
{
  g_free (result->out);
  g_free (result->err);
  memset (result, 0, sizeof *result);
}

char *
tl_test_scenario (const char *name)
{
  return g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), name, NULL);
}
