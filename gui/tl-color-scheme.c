/* tl-color-scheme.c: follow the desktop's light/dark preference. */
#include "tl-color-scheme.h"

#include <errno.h>
#include <gtk/gtk.h>
#include <string.h>

#define PORTAL_BUS_NAME  "org.freedesktop.portal.Desktop"
#define PORTAL_PATH      "/org/freedesktop/portal/desktop"
#define PORTAL_INTERFACE "org.freedesktop.portal.Settings"
#define APPEARANCE       "org.freedesktop.appearance"

/* The portal's values: 0 no preference, 1 prefer dark, 2 prefer light. */
#define PORTAL_PREFER_DARK 1

static TlColorScheme choice = TL_COLOR_SCHEME_SYSTEM;
static gboolean system_dark = FALSE;
static GDBusProxy *portal = NULL;
static GCancellable *cancellable = NULL;

static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "tcpladder", "gtk.ini", NULL);
}

static void
apply (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  gboolean dark = tl_color_scheme_is_dark ();

  if (settings != NULL)
    g_object_set (settings, "gtk-application-prefer-dark-theme", dark, NULL);
}

/* The portal wraps values in one or two variants depending on the call. */
static void
take_portal_value (GVariant *value)
{
  while (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      GVariant *inner = g_variant_get_variant (value);
      g_variant_unref (value);
      value = inner;
    }
  if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    {
      system_dark = g_variant_get_uint32 (value) == PORTAL_PREFER_DARK;
      apply ();
    }
  if (value != NULL)
    g_variant_unref (value);
}

static void
on_setting_changed (GDBusProxy *proxy,
                    const char *sender,
                    const char *signal,
                    GVariant   *parameters,
                    gpointer    user_data)
{
  const char *ns, *key;
  GVariant *value;

  if (strcmp (signal, "SettingChanged") != 0
      || !g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ssv)")))
    return;
  g_variant_get (parameters, "(&s&sv)", &ns, &key, &value);
  if (strcmp (ns, APPEARANCE) == 0 && strcmp (key, "color-scheme") == 0)
    take_portal_value (value);
  else
    g_variant_unref (value);
}

static void
on_read_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  GVariant *value;

  if (reply == NULL)
    {
      /* No portal (a bare X server, a test): stay light unless told. */
      g_debug ("color scheme: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  take_portal_value (value);
  g_variant_unref (reply);
}

static void
on_proxy_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GDBusProxy *proxy = g_dbus_proxy_new_for_bus_finish (result, &error);

  if (proxy == NULL)
    {
      g_debug ("color scheme: no settings portal: %s", error->message);
      return;
    }
  portal = proxy;
  g_signal_connect (portal, "g-signal", G_CALLBACK (on_setting_changed), NULL);
  g_dbus_proxy_call (portal, "Read", g_variant_new ("(ss)", APPEARANCE, "color-scheme"),
                     G_DBUS_CALL_FLAGS_NONE, 2000, cancellable, on_read_done, NULL);
}

static void
load_choice (void)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = settings_path ();
  g_autofree char *text = NULL;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return;
  text = g_key_file_get_string (file, "appearance", "color-scheme", NULL);
  if (text != NULL && !tl_color_scheme_from_string (text, &choice))
    g_warning ("%s: unknown color-scheme '%s', following the system", path, text);
}

static void
save_choice (void)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  /* Keep whatever else the file holds. */
  g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  g_key_file_set_string (file, "appearance", "color-scheme",
                         tl_color_scheme_to_string (choice));
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_key_file_save_to_file (file, path, &error))
    g_warning ("Could not save %s: %s", path, error != NULL ? error->message : g_strerror (errno));
}

void
tl_color_scheme_init (void)
{
  if (cancellable != NULL)
    return;
  cancellable = g_cancellable_new ();
  load_choice ();
  apply ();
  g_dbus_proxy_new_for_bus (G_BUS_TYPE_SESSION,
                            G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START_AT_CONSTRUCTION
                            | G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES,
                            NULL, PORTAL_BUS_NAME, PORTAL_PATH, PORTAL_INTERFACE,
                            cancellable, on_proxy_ready, NULL);
}

void
tl_color_scheme_shutdown (void)
{
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  g_clear_object (&cancellable);
  g_clear_object (&portal);
}

TlColorScheme
tl_color_scheme_get_choice (void)
{
  return choice;
}

void
tl_color_scheme_set_choice (TlColorScheme scheme)
{
  if (scheme == choice)
    return;
  choice = scheme;
  apply ();
  save_choice ();
}

gboolean
tl_color_scheme_is_dark (void)
{
  switch (choice)
    {
    case TL_COLOR_SCHEME_LIGHT:
      return FALSE;
    case TL_COLOR_SCHEME_DARK:
      return TRUE;
    case TL_COLOR_SCHEME_SYSTEM:
    default:
      return system_dark;
    }
}

static const char *const scheme_names[] = { "system", "light", "dark" };

const char *
tl_color_scheme_to_string (TlColorScheme scheme)
{
  return (guint) scheme < G_N_ELEMENTS (scheme_names) ? scheme_names[scheme] : "system";
}

gboolean
tl_color_scheme_from_string (const char    *text,
                             TlColorScheme *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (scheme_names); i++)
    if (g_strcmp0 (text, scheme_names[i]) == 0)
      {
        *out = (TlColorScheme) i;
        return TRUE;
      }
  return FALSE;
}
