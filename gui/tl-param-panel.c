/* tl-param-panel.c: the side panel of timing parameters. */
#include "tl-param-panel.h"

#include <math.h>

#include "tl-params.h"

struct _TlParamPanel
{
  GtkWidget   parent_instance;

  GtkWidget  *box;
  TlDocument *document;
  gulong      scenario_changed_id;
  gulong      kind_changed_id;

  GPtrArray  *params;      /* TlParam, as shown */
  GHashTable *by_key;      /* key -> TlParam (borrowed from params) */
  GHashTable *fields;      /* key -> editing widget (owned by the tree) */
  gboolean    syncing;     /* values are being set from the document */
};

G_DEFINE_FINAL_TYPE (TlParamPanel, tl_param_panel, GTK_TYPE_WIDGET)

enum
{
  ERROR,
  ERROR_CLEARED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define KEY_DATA "tl-param-key"

static const char *
field_key (GtkWidget *field)
{
  return g_object_get_data (G_OBJECT (field), KEY_DATA);
}

static void
mark_field (TlParamPanel *self,
            GtkWidget    *field,
            const GError *error)
{
  const char *key = field_key (field);

  if (error != NULL)
    {
      gtk_widget_add_css_class (field, "error");
      gtk_widget_set_tooltip_text (field, error->message);
      g_signal_emit (self, signals[ERROR], 0, key, error->message);
    }
  else if (gtk_widget_has_css_class (field, "error"))
    {
      const TlParam *param = g_hash_table_lookup (self->by_key, key);

      gtk_widget_remove_css_class (field, "error");
      gtk_widget_set_tooltip_text (field, param != NULL ? param->tooltip : NULL);
      g_signal_emit (self, signals[ERROR_CLEARED], 0, key);
    }
}

/* Sends TEXT for the field's key to the document. */
static void
apply_value (TlParamPanel *self,
             GtkWidget    *field,
             const char   *text)
{
  const char *key = field_key (field);
  const TlParam *param = g_hash_table_lookup (self->by_key, key);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  gboolean had_error = gtk_widget_has_css_class (field, "error");

  if (self->document == NULL || param == NULL)
    return;
  label = g_strdup_printf ("Change %s%s%s", param->group,
                           g_str_has_prefix (param->group, "Host") ? " " : ": ",
                           param->label);
  /* KEY and PARAM belong to the rows, which the document's change
   * notification may replace: keep a copy of the key. */
  {
    g_autofree char *key_copy = g_strdup (key);

    if (!tl_document_set_value (self->document, key_copy, text, label, &error))
      mark_field (self, field, error);
    else
      {
        mark_field (self, field, NULL);
        /* The refresh after the edit may already have cleared the style. */
        if (had_error)
          g_signal_emit (self, signals[ERROR_CLEARED], 0, key_copy);
      }
  }
}

static void
on_spin_value_changed (GtkSpinButton *spin,
                       TlParamPanel  *self)
{
  const TlParam *param;
  g_autofree char *text = NULL;
  gint64 value;

  if (self->syncing)
    return;
  param = g_hash_table_lookup (self->by_key, field_key (GTK_WIDGET (spin)));
  if (param == NULL)
    return;

  /* Milliseconds with three decimals: round to whole microseconds so the
   * text handed to the scenario is exact. */
  if (param->type == TL_PARAM_TIME)
    value = (gint64) llround (gtk_spin_button_get_value (spin) * 1000.0) * TL_USEC (1);
  else
    value = (gint64) llround (gtk_spin_button_get_value (spin));
  if (value == param->value && !gtk_widget_has_css_class (GTK_WIDGET (spin), "error"))
    return;
  text = tl_param_format_value (param, value);
  apply_value (self, GTK_WIDGET (spin), text);
}

static void
on_switch_active (GtkSwitch    *sw,
                  GParamSpec   *pspec,
                  TlParamPanel *self)
{
  if (self->syncing)
    return;
  apply_value (self, GTK_WIDGET (sw), gtk_switch_get_active (sw) ? "on" : "off");
}

static void
on_dropdown_selected (GtkDropDown  *dropdown,
                      GParamSpec   *pspec,
                      TlParamPanel *self)
{
  const TlParam *param;
  guint selected;

  if (self->syncing)
    return;
  param = g_hash_table_lookup (self->by_key, field_key (GTK_WIDGET (dropdown)));
  selected = gtk_drop_down_get_selected (dropdown);
  if (param == NULL || selected == GTK_INVALID_LIST_POSITION
      || (gint64) selected == param->value)
    return;
  apply_value (self, GTK_WIDGET (dropdown), param->choices[selected]);
}

static void
commit_entry (TlParamPanel *self,
              GtkEntry     *entry)
{
  const TlParam *param;
  const char *text;

  if (self->syncing)
    return;
  param = g_hash_table_lookup (self->by_key, field_key (GTK_WIDGET (entry)));
  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  if (param == NULL
      || (g_strcmp0 (text, param->text) == 0
          && !gtk_widget_has_css_class (GTK_WIDGET (entry), "error")))
    return;
  apply_value (self, GTK_WIDGET (entry), text);
}

static void
on_entry_activate (GtkEntry     *entry,
                   TlParamPanel *self)
{
  commit_entry (self, entry);
}

static void
on_entry_focus_leave (GtkEventControllerFocus *focus,
                      TlParamPanel            *self)
{
  commit_entry (self, GTK_ENTRY (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus))));
}

/* Building ------------------------------------------------------------ */

static GtkWidget *
make_time_field (TlParamPanel  *self,
                 const TlParam *param)
{
  GtkWidget *spin;
  double max_ms = (double) param->max / TL_MSEC (1);

  spin = gtk_spin_button_new_with_range ((double) param->min / TL_MSEC (1),
                                         MAX (max_ms, 1.0), 1.0);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 3);
  gtk_spin_button_set_increments (GTK_SPIN_BUTTON (spin), 1.0, 10.0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 10);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value_changed), self);
  return spin;
}

static GtkWidget *
make_count_field (TlParamPanel  *self,
                  const TlParam *param)
{
  GtkWidget *spin = gtk_spin_button_new_with_range ((double) param->min,
                                                    (double) param->max, 1.0);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), 0);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 10);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value_changed), self);
  return spin;
}

static GtkWidget *
make_field (TlParamPanel  *self,
            const TlParam *param)
{
  GtkWidget *field = NULL;
  GtkEventController *focus;

  switch (param->type)
    {
    case TL_PARAM_TIME:
      field = make_time_field (self, param);
      break;
    case TL_PARAM_COUNT:
      field = make_count_field (self, param);
      break;
    case TL_PARAM_SWITCH:
      field = gtk_switch_new ();
      gtk_widget_set_halign (field, GTK_ALIGN_START);
      g_signal_connect (field, "notify::active", G_CALLBACK (on_switch_active), self);
      break;
    case TL_PARAM_CHOICE:
      field = gtk_drop_down_new_from_strings (param->choices);
      g_signal_connect (field, "notify::selected", G_CALLBACK (on_dropdown_selected), self);
      break;
    case TL_PARAM_TEXT:
      field = gtk_entry_new ();
      gtk_editable_set_width_chars (GTK_EDITABLE (field), 9);
      g_signal_connect (field, "activate", G_CALLBACK (on_entry_activate), self);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "leave", G_CALLBACK (on_entry_focus_leave), self);
      gtk_widget_add_controller (field, focus);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  g_object_set_data_full (G_OBJECT (field), KEY_DATA, g_strdup (param->key), g_free);
  gtk_widget_set_tooltip_text (field, param->tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (field),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, param->label, -1);
  return field;
}

/* Puts PARAM's value into FIELD without treating it as an edit.  Fields
 * already showing the value are left alone: after every edit all of them
 * are refreshed, and re-setting a spin button's text relays it out. */
static void
show_value (GtkWidget     *field,
            const TlParam *param)
{
  double number;

  switch (param->type)
    {
    case TL_PARAM_TIME:
    case TL_PARAM_COUNT:
      number = param->type == TL_PARAM_TIME ? (double) param->value / TL_MSEC (1)
                                            : (double) param->value;
      if (gtk_spin_button_get_value (GTK_SPIN_BUTTON (field)) != number)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field), number);
      break;
    case TL_PARAM_SWITCH:
      if (gtk_switch_get_active (GTK_SWITCH (field)) != (param->value != 0))
        gtk_switch_set_active (GTK_SWITCH (field), param->value != 0);
      break;
    case TL_PARAM_CHOICE:
      if (gtk_drop_down_get_selected (GTK_DROP_DOWN (field)) != (guint) param->value)
        gtk_drop_down_set_selected (GTK_DROP_DOWN (field), (guint) param->value);
      break;
    case TL_PARAM_TEXT:
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (field)), param->text) != 0)
        gtk_editable_set_text (GTK_EDITABLE (field), param->text);
      break;
    default:
      g_return_if_reached ();
    }
  if (gtk_widget_has_css_class (field, "error"))
    {
      gtk_widget_remove_css_class (field, "error");
      gtk_widget_set_tooltip_text (field, param->tooltip);
    }
}

static void
clear_rows (TlParamPanel *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->fields);
  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);
}

static void
index_params (TlParamPanel *self,
              GPtrArray    *params)
{
  g_clear_pointer (&self->params, g_ptr_array_unref);
  self->params = params;
  g_hash_table_remove_all (self->by_key);
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      TlParam *param = g_ptr_array_index (params, i);

      g_hash_table_insert (self->by_key, param->key, param);
    }
}

static void
show_placeholder (TlParamPanel *self,
                  const char   *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (self->box), label);
}

static void
build_rows (TlParamPanel *self)
{
  const char *group = NULL;
  GtkWidget *grid = NULL;
  guint row = 0;

  for (guint i = 0; i < self->params->len; i++)
    {
      const TlParam *param = g_ptr_array_index (self->params, i);
      GtkWidget *label, *field, *unit;

      if (group == NULL || g_strcmp0 (group, param->group) != 0)
        {
          GtkWidget *heading = gtk_label_new (param->group);

          gtk_widget_add_css_class (heading, "heading");
          gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
          gtk_widget_set_margin_top (heading, group == NULL ? 0 : 12);
          gtk_box_append (GTK_BOX (self->box), heading);

          grid = gtk_grid_new ();
          gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
          gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
          gtk_box_append (GTK_BOX (self->box), grid);
          group = param->group;
          row = 0;
        }

      label = gtk_label_new (param->label);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (label, param->tooltip);

      field = make_field (self, param);
      gtk_label_set_mnemonic_widget (GTK_LABEL (label), field);
      /* A new spin button holds its minimum: set it whatever it shows. */
      if (param->type == TL_PARAM_TIME || param->type == TL_PARAM_COUNT)
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (field),
                                   param->type == TL_PARAM_TIME
                                   ? (double) param->value / TL_MSEC (1)
                                   : (double) param->value);
      show_value (field, param);

      gtk_grid_attach (GTK_GRID (grid), label, 0, (int) row, 1, 1);
      if (param->type == TL_PARAM_TIME)
        {
          gtk_grid_attach (GTK_GRID (grid), field, 1, (int) row, 1, 1);
          unit = gtk_label_new ("ms");
          gtk_widget_add_css_class (unit, "dim-label");
          gtk_grid_attach (GTK_GRID (grid), unit, 2, (int) row, 1, 1);
        }
      else
        gtk_grid_attach (GTK_GRID (grid), field, 1, (int) row, 2, 1);
      g_hash_table_insert (self->fields, g_strdup (param->key), field);
      row++;
    }
}

static void
sync_from_document (TlParamPanel *self)
{
  const TlScenario *scenario = NULL;
  GPtrArray *params;

  if (self->document != NULL)
    scenario = tl_document_get_scenario (self->document);

  self->syncing = TRUE;
  if (scenario == NULL)
    {
      clear_rows (self);
      index_params (self, NULL);
      show_placeholder (self, self->document != NULL
                              && tl_document_get_kind (self->document) == TL_DOCUMENT_TRACE
                        ? "A recorded trace has no parameters to change.\n\n"
                          "To explore the timing of a capture bundle, choose "
                          "“Simulate This Capture’s Scenario” in the main menu: "
                          "its scenario opens beside the capture."
                        : "Open a scenario to explore its timing.");
      self->syncing = FALSE;
      return;
    }

  params = tl_params_from_scenario (scenario);
  if (tl_params_same_keys (self->params, params))
    {
      /* Same rows: only the values move, and the focus stays where the
       * user is typing. */
      index_params (self, params);
      for (guint i = 0; i < params->len; i++)
        {
          const TlParam *param = g_ptr_array_index (params, i);
          GtkWidget *field = g_hash_table_lookup (self->fields, param->key);

          if (field != NULL)
            show_value (field, param);
        }
    }
  else
    {
      clear_rows (self);
      index_params (self, params);
      build_rows (self);
    }
  self->syncing = FALSE;
}

static void
on_scenario_changed (TlDocument   *document,
                     TlParamPanel *self)
{
  sync_from_document (self);
}

void
tl_param_panel_set_document (TlParamPanel *self,
                             TlDocument   *document)
{
  g_return_if_fail (TL_IS_PARAM_PANEL (self));

  if (self->document == document)
    return;
  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->scenario_changed_id, self->document);
      g_clear_object (&self->document);
    }
  if (document != NULL)
    {
      self->document = g_object_ref (document);
      self->scenario_changed_id =
        g_signal_connect (document, "scenario-changed",
                          G_CALLBACK (on_scenario_changed), self);
    }
  /* A different document: always rebuild. */
  clear_rows (self);
  index_params (self, NULL);
  sync_from_document (self);
}

GtkWidget *
tl_param_panel_get_field (TlParamPanel *self,
                          const char   *key)
{
  g_return_val_if_fail (TL_IS_PARAM_PANEL (self), NULL);
  return g_hash_table_lookup (self->fields, key);
}

void
tl_param_panel_clear_errors (TlParamPanel *self)
{
  GHashTableIter iter;
  gpointer field;

  g_return_if_fail (TL_IS_PARAM_PANEL (self));

  g_hash_table_iter_init (&iter, self->fields);
  while (g_hash_table_iter_next (&iter, NULL, &field))
    {
      const TlParam *param = g_hash_table_lookup (self->by_key, field_key (field));

      gtk_widget_remove_css_class (field, "error");
      gtk_widget_set_tooltip_text (field, param != NULL ? param->tooltip : NULL);
    }
}

GtkWidget *
tl_param_panel_new (void)
{
  return g_object_new (TL_TYPE_PARAM_PANEL, NULL);
}

static void
tl_param_panel_dispose (GObject *object)
{
  TlParamPanel *self = TL_PARAM_PANEL (object);

  if (self->document != NULL)
    {
      g_clear_signal_handler (&self->scenario_changed_id, self->document);
      g_clear_object (&self->document);
    }
  g_clear_pointer (&self->box, gtk_widget_unparent);
  G_OBJECT_CLASS (tl_param_panel_parent_class)->dispose (object);
}

static void
tl_param_panel_finalize (GObject *object)
{
  TlParamPanel *self = TL_PARAM_PANEL (object);

  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_hash_table_unref (self->by_key);
  g_hash_table_unref (self->fields);
  G_OBJECT_CLASS (tl_param_panel_parent_class)->finalize (object);
}

static void
tl_param_panel_class_init (TlParamPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_param_panel_dispose;
  object_class->finalize = tl_param_panel_finalize;

  /* A value was refused: (key, message). */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* The field with an error now holds an accepted value: (key). */
  signals[ERROR_CLEARED] =
    g_signal_new ("error-cleared", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tlparampanel");
}

static void
tl_param_panel_init (TlParamPanel *self)
{
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  /* Its own copies of the keys: the params they came from are replaced
   * on every edit while the fields stay. */
  self->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  sync_from_document (self);
}
