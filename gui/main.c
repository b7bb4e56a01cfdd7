/* main.c: tcpladder-gtk, see what happens when two TCP endpoints act at
 * nearly the same time. */
#include <locale.h>

#include "tl-app.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(TlApp) app = NULL;

  setlocale (LC_ALL, "");
  g_set_application_name ("tcpladder");
  app = tl_app_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
