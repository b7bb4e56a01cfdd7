/* tl-sweep-output.c: temporary file, flush, rename. */
#include "tl-sweep-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tl-sweep-error.h"

struct _TlSweepOutput
{
  char    *path;
  char    *temp_path;   /* NULL for standard output */
  FILE    *file;
};

static gboolean
set_io_error (GError     **error,
              const char  *path,
              int          saved_errno)
{
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_OUTPUT, "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

TlSweepOutput *
tl_sweep_output_open (const char  *path,
                      GError     **error)
{
  TlSweepOutput *output;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp_path = NULL;
  int fd;

  if (strcmp (path, "-") == 0)
    {
      output = g_new0 (TlSweepOutput, 1);
      output->path = g_strdup ("standard output");
      output->file = stdout;
      return output;
    }

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  temp_path = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  /* open() applies the umask to 0666, as for any new file. */
  fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_io_error (error, path, errno);
      return NULL;
    }
  output = g_new0 (TlSweepOutput, 1);
  output->path = g_strdup (path);
  output->temp_path = g_steal_pointer (&temp_path);
  output->file = fdopen (fd, "w");
  if (output->file == NULL)
    {
      int saved_errno = errno;

      close (fd);
      tl_sweep_output_abort (output);
      set_io_error (error, path, saved_errno);
      return NULL;
    }
  return output;
}

const char *
tl_sweep_output_get_path (const TlSweepOutput *output)
{
  return output->path;
}

gboolean
tl_sweep_output_write (TlSweepOutput  *output,
                       const char     *data,
                       gsize           length,
                       GError        **error)
{
  if (length > 0 && fwrite (data, 1, length, output->file) != length)
    return set_io_error (error, output->path, errno);
  return TRUE;
}

gboolean
tl_sweep_output_flush (TlSweepOutput  *output,
                       GError        **error)
{
  if (fflush (output->file) != 0)
    return set_io_error (error, output->path, errno);
  return TRUE;
}

static void
output_free (TlSweepOutput *output)
{
  g_free (output->path);
  g_free (output->temp_path);
  g_free (output);
}

gboolean
tl_sweep_output_commit (TlSweepOutput  *output,
                        GError        **error)
{
  int saved_errno = 0;

  if (output->temp_path == NULL)
    {
      gboolean ok = tl_sweep_output_flush (output, error);

      output_free (output);
      return ok;
    }
  if (fflush (output->file) != 0 || fsync (fileno (output->file)) != 0)
    saved_errno = errno;
  if (fclose (output->file) != 0 && saved_errno == 0)
    saved_errno = errno;
  output->file = NULL;
  if (saved_errno == 0 && g_rename (output->temp_path, output->path) != 0)
    saved_errno = errno;
  if (saved_errno != 0)
    {
      set_io_error (error, output->path, saved_errno);
      tl_sweep_output_abort (output);
      return FALSE;
    }
  output_free (output);
  return TRUE;
}

void
tl_sweep_output_abort (TlSweepOutput *output)
{
  if (output == NULL)
    return;
  if (output->temp_path != NULL)
    {
      if (output->file != NULL)
        fclose (output->file);
      g_unlink (output->temp_path);
    }
  else if (output->file != NULL)
    fflush (output->file);
  output_free (output);
}
