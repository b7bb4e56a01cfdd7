/* tl-json-builder.c: JsonBuilder members in one call each. */
#include "tl-json-builder.h"

#include "tl-io-private.h"

void
tl_json_add_int (JsonBuilder *builder,
                 const char  *key,
                 gint64       value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
}

void
tl_json_add_string (JsonBuilder *builder,
                    const char  *key,
                    const char  *text)
{
  json_builder_set_member_name (builder, key);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

void
tl_json_add_bool (JsonBuilder *builder,
                  const char  *key,
                  gboolean     value)
{
  json_builder_set_member_name (builder, key);
  json_builder_add_boolean_value (builder, value);
}

void
tl_json_add_addr (JsonBuilder *builder,
                  const char  *key,
                  guint32      addr)
{
  char text[16];

  tl_io_format_addr (addr, text);
  tl_json_add_string (builder, key, text);
}
