/* tl-export-dialog.c: the Export dialog. */
#include "tl-export-dialog.h"

struct _TlExportDialog
{
  GtkWindow             parent_instance;

  TlTrace              *trace;
  TlTrace              *reference;
  GArray               *mismatches;    /* TlRenderMismatch, texts owned */
  TlRenderOptions       base;
  TlTime                visible_from;
  TlTime                visible_to;
  char                 *basename;
  GtkFileChooserNative *chooser;

  GtkWidget            *format;
  GtkWidget            *width;
  GtkWidget            *height;
  GtkWidget            *dpi;
  GtkWidget            *theme;
  GtkWidget            *labels;
  GtkWidget            *seq;
  GtkWidget            *show_options;
  GtkWidget            *show_title;
  GtkWidget            *show_legend;
  GtkWidget            *compress;
  GtkWidget            *range;
  GtkWidget            *pair;
  GtkWidget            *error_label;
  GtkWidget            *export_button;
};

G_DEFINE_FINAL_TYPE (TlExportDialog, tl_export_dialog, GTK_TYPE_WINDOW)

enum
{
  EXPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const format_names[] = { "SVG", "PNG", "PDF", "Text", NULL };
static const char *const format_ext[] = { "svg", "png", "pdf", "txt" };
static const TlRenderFormat formats[] = {
  TL_RENDER_FORMAT_SVG, TL_RENDER_FORMAT_PNG, TL_RENDER_FORMAT_PDF, TL_RENDER_FORMAT_TEXT,
};

static guint
selected (GtkWidget *dropdown)
{
  return gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));
}

void
tl_export_dialog_get_options (TlExportDialog  *self,
                              TlRenderOptions *options,
                              TlRenderFormat  *format,
                              gboolean        *pair)
{
  g_return_if_fail (TL_IS_EXPORT_DIALOG (self));

  *options = self->base;
  options->width = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->width));
  options->height = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->height));
  options->dpi = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->dpi));
  options->theme = selected (self->theme) == 1 ? TL_RENDER_THEME_DARK : TL_RENDER_THEME_LIGHT;
  options->labels = (TlLabelDetail) selected (self->labels);
  options->seq_mode = selected (self->seq) == 1 ? TL_SEQ_ABSOLUTE : TL_SEQ_RELATIVE;
  options->show_options = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->show_options));
  options->show_title = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->show_title));
  options->show_legend = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->show_legend));
  options->compress = gtk_check_button_get_active (GTK_CHECK_BUTTON (self->compress));
  /* The file gets its own scale from its size, not the window's zoom. */
  options->px_per_second = 0;
  if (selected (self->range) == 1)
    {
      options->time_from = self->visible_from;
      options->time_to = self->visible_to;
    }
  else
    {
      options->time_from = TL_RENDER_TIME_START;
      options->time_to = TL_RENDER_TIME_END;
    }
  if (format != NULL)
    *format = formats[MIN (selected (self->format), G_N_ELEMENTS (formats) - 1)];
  if (pair != NULL)
    *pair = self->reference != NULL
            && gtk_check_button_get_active (GTK_CHECK_BUTTON (self->pair));
}

gboolean
tl_export_dialog_export_to (TlExportDialog  *self,
                            const char      *path,
                            GError         **error)
{
  TlRenderOptions options;
  TlRenderFormat format;
  gboolean pair;

  g_return_val_if_fail (TL_IS_EXPORT_DIALOG (self), FALSE);

  tl_export_dialog_get_options (self, &options, &format, &pair);
  if (!pair)
    return tl_render_export (self->trace, &options, path, format, error);

  if (format == TL_RENDER_FORMAT_TEXT)
    {
      g_set_error_literal (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                           "A side-by-side comparison can be exported as SVG, PNG or PDF, not as text");
      return FALSE;
    }
  if (!tl_render_options_check (&options, error))
    return FALSE;
  {
    g_autoptr(TlRenderLayout) layout =
      tl_render_layout_new_pair (self->trace, self->reference,
                                 (const TlRenderMismatch *) self->mismatches->data,
                                 self->mismatches->len, &options);
    return tl_render_export_layout (layout, path, format, error);
  }
}

static void
show_error (TlExportDialog *self,
            const char     *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_widget_set_visible (self->error_label, message != NULL);
}

static void
on_chooser_response (GtkNativeDialog *native,
                     int              response,
                     TlExportDialog  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    {
      g_clear_object (&self->chooser);
      return;
    }
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_clear_object (&self->chooser);
  path = file != NULL ? g_file_get_path (file) : NULL;
  if (path == NULL)
    {
      show_error (self, "Choose a local file to export to.");
      return;
    }
  if (!tl_export_dialog_export_to (self, path, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[EXPORTED], 0, path);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_export_clicked (GtkButton      *button,
                   TlExportDialog *self)
{
  TlRenderOptions options;
  TlRenderFormat format;
  gboolean pair;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint index = selected (self->format);

  /* Report a bad size before asking for a file name. */
  tl_export_dialog_get_options (self, &options, &format, &pair);
  if (!tl_render_options_check (&options, &error))
    {
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);

  self->chooser = gtk_file_chooser_native_new ("Export Diagram", GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               "_Export", "_Cancel");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  name = g_strdup_printf ("%s%s.%s", self->basename, pair ? "-compare" : "",
                          format_ext[MIN (index, G_N_ELEMENTS (format_ext) - 1)]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
update_sensitivity (TlExportDialog *self)
{
  guint format = selected (self->format);
  gboolean text = format == 3;

  gtk_widget_set_sensitive (self->dpi, format == 1);
  gtk_widget_set_sensitive (self->width, !text);
  gtk_widget_set_sensitive (self->height, !text);
  gtk_widget_set_sensitive (self->theme, !text);
  gtk_widget_set_sensitive (self->show_legend, !text);
  gtk_widget_set_sensitive (self->compress, !text);
  gtk_widget_set_sensitive (self->pair, self->reference != NULL && !text);
}

static void
on_format_changed (GObject        *dropdown,
                   GParamSpec     *pspec,
                   TlExportDialog *self)
{
  update_sensitivity (self);
}

static GtkWidget *
add_row (GtkWidget  *grid,
         int         row,
         const char *label_text,
         GtkWidget  *field,
         const char *tooltip)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_tooltip_text (field, tooltip);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (GTK_GRID (grid), label, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), field, 1, row, 1, 1);
  return field;
}

static GtkWidget *
make_spin (double min,
           double max,
           double step,
           double value)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  return spin;
}

static GtkWidget *
make_check (const char *label,
            gboolean    active)
{
  GtkWidget *check = gtk_check_button_new_with_mnemonic (label);

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  return check;
}

static void
build_form (TlExportDialog *self)
{
  static const char *const themes[] = { "Light", "Dark", NULL };
  static const char *const label_kinds[] = { "None", "Flags", "Flags and numbers", NULL };
  static const char *const seq_modes[] = { "Relative to each ISN", "Absolute", NULL };
  static const char *const ranges[] = { "The whole run", "The part in view", NULL };
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *checks = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  int row = 0;

  self->export_button = gtk_button_new_with_mnemonic ("_Export…");
  gtk_widget_add_css_class (self->export_button, "suggested-action");
  gtk_header_bar_set_show_title_buttons (GTK_HEADER_BAR (header), FALSE);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), cancel);
  gtk_header_bar_pack_end (GTK_HEADER_BAR (header), self->export_button);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_destroy), self);
  g_signal_connect (self->export_button, "clicked", G_CALLBACK (on_export_clicked), self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->export_button);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  self->format = add_row (grid, row++, "_Format", gtk_drop_down_new_from_strings (format_names),
                          "SVG and PDF stay sharp at any size; text is the ladder of `tcpladder run`");
  self->width = add_row (grid, row++, "_Width", make_spin (0, 32767, 10, self->base.width),
                         "Pixels (1/96 inch); 0 chooses from the content");
  self->height = add_row (grid, row++, "_Height", make_spin (0, 32767, 10, 0),
                          "Pixels; 0 gives every flight room for its label");
  self->dpi = add_row (grid, row++, "_Resolution", make_spin (24, 1200, 12,
                                                             self->base.dpi > 0 ? self->base.dpi : 96),
                       "PNG dots per inch: 192 doubles the pixels of 96");
  self->theme = add_row (grid, row++, "_Theme", gtk_drop_down_new_from_strings (themes), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->theme),
                              self->base.theme == TL_RENDER_THEME_DARK ? 1 : 0);
  self->labels = add_row (grid, row++, "_Labels", gtk_drop_down_new_from_strings (label_kinds),
                          "What each segment arrow says");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->labels), self->base.labels);
  self->seq = add_row (grid, row++, "_Sequence numbers", gtk_drop_down_new_from_strings (seq_modes),
                       NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->seq),
                              self->base.seq_mode == TL_SEQ_ABSOLUTE ? 1 : 0);
  self->range = add_row (grid, row++, "Time _range", gtk_drop_down_new_from_strings (ranges),
                         NULL);

  self->show_options = make_check ("TCP _options in labels", self->base.show_options);
  self->show_title = make_check ("T_itle and caption", TRUE);
  self->show_legend = make_check ("Le_gend", self->base.show_legend);
  self->compress = make_check ("_Compress idle time", self->base.compress);
  self->pair = make_check ("Side by side with the _capture", self->reference != NULL);
  gtk_box_append (GTK_BOX (checks), self->show_options);
  gtk_box_append (GTK_BOX (checks), self->show_title);
  gtk_box_append (GTK_BOX (checks), self->show_legend);
  gtk_box_append (GTK_BOX (checks), self->compress);
  gtk_box_append (GTK_BOX (checks), self->pair);
  gtk_widget_set_visible (self->pair, self->reference != NULL);
  gtk_grid_attach (GTK_GRID (grid), checks, 1, row++, 1, 1);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0.0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);

  gtk_box_append (GTK_BOX (box), grid);
  gtk_box_append (GTK_BOX (box), self->error_label);
  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_window_set_child (GTK_WINDOW (self), box);

  g_signal_connect (self->format, "notify::selected", G_CALLBACK (on_format_changed), self);
  update_sensitivity (self);
}

TlExportDialog *
tl_export_dialog_new (GtkWindow              *parent,
                      TlTrace                *trace,
                      TlTrace                *reference,
                      const TlRenderMismatch *mismatches,
                      guint                   n_mismatches,
                      const TlRenderOptions  *options,
                      TlTime                  visible_from,
                      TlTime                  visible_to,
                      const char             *basename)
{
  TlExportDialog *self;

  g_return_val_if_fail (trace != NULL, NULL);

  self = g_object_new (TL_TYPE_EXPORT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "title", "Export Diagram",
                       "resizable", FALSE,
                       NULL);
  self->trace = tl_trace_ref (trace);
  self->reference = reference != NULL ? tl_trace_ref (reference) : NULL;
  for (guint i = 0; i < n_mismatches; i++)
    {
      TlRenderMismatch copy = mismatches[i];

      copy.text = g_strdup (mismatches[i].text);
      g_array_append_val (self->mismatches, copy);
    }
  self->base = *options;
  self->visible_from = visible_from;
  self->visible_to = visible_to;
  self->basename = g_strdup (basename != NULL ? basename : "ladder");
  build_form (self);
  return self;
}

static void
tl_export_dialog_dispose (GObject *object)
{
  TlExportDialog *self = TL_EXPORT_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  G_OBJECT_CLASS (tl_export_dialog_parent_class)->dispose (object);
}

static void
tl_export_dialog_finalize (GObject *object)
{
  TlExportDialog *self = TL_EXPORT_DIALOG (object);

  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_pointer (&self->reference, tl_trace_unref);
  for (guint i = 0; i < self->mismatches->len; i++)
    g_free ((char *) g_array_index (self->mismatches, TlRenderMismatch, i).text);
  g_array_unref (self->mismatches);
  g_free (self->basename);
  G_OBJECT_CLASS (tl_export_dialog_parent_class)->finalize (object);
}

static void
tl_export_dialog_class_init (TlExportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_export_dialog_dispose;
  object_class->finalize = tl_export_dialog_finalize;

  /* The file was written: (path). */
  signals[EXPORTED] =
    g_signal_new ("exported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tl_export_dialog_init (TlExportDialog *self)
{
  self->mismatches = g_array_new (FALSE, FALSE, sizeof (TlRenderMismatch));
}
