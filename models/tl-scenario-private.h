/* tl-scenario-private.h: what the scenario parser, the writer and --set
 * share: limits, the table of host settings, and the readers and writers of
 * single values.
 *
 * Every value reader takes the text of one value and either fills *out or
 * returns FALSE with a complete message in *message ("expected a duration
 * such as 100ms, 2.5s or 250us, got 'abc'"); the caller puts the place in
 * front ("file:3:9: " in a file, "A->B.delay: " for --set).
 */
#pragma once

#include "tl-scenario.h"

G_BEGIN_DECLS

#define TL_SCENARIO_MAX_FILE_SIZE        (1024 * 1024)
#define TL_SCENARIO_DEFAULT_DURATION     TL_SEC (300)
#define TL_SCENARIO_DEFAULT_MAX_EVENTS   1000000
#define TL_SCENARIO_MAX_EVENTS_LIMIT     100000000
#define TL_SCENARIO_DEFAULT_QUEUE        1000
#define TL_SCENARIO_MAX_QUEUE            1000000
#define TL_SCENARIO_MAX_SEND             (16 * 1024 * 1024)
/* All the sends of one host together: the run keeps every byte (send
 * buffer and trace), so many large sends would exhaust memory. */
#define TL_SCENARIO_MAX_SEND_TOTAL       (64 * 1024 * 1024)
#define TL_SCENARIO_MAX_HOST_NAME        32
#define TL_SCENARIO_MAX_SYNCNT           127   /* MAX_TCP_SYNCNT */

/* ---- host settings, one table for the parser, the writer and --set ---- */

typedef enum
{
  TL_SETTING_COUNT,      /* guint */
  TL_SETTING_SWITCH,     /* gboolean, on/off */
  TL_SETTING_BYTES,      /* guint, with KiB/MiB/GiB suffixes */
  TL_SETTING_DURATION,   /* TlTime */
  TL_SETTING_KERNEL,     /* guint, "6.18" -> 61800 */
} TlSettingType;

typedef struct
{
  const char    *key;      /* as written in files: "syn-retries" */
  TlSettingType  type;
  gsize          offset;   /* in TlHostSettings */
  gint64         min;
  gint64         max;
} TlSettingInfo;

#define TL_N_HOST_SETTINGS 19

extern const TlSettingInfo tl_setting_infos[TL_N_HOST_SETTINGS];

const TlSettingInfo *tl_setting_lookup  (const char            *key);
gint64               tl_setting_get     (const TlSettingInfo   *info,
                                         const TlHostSettings  *settings);
void                 tl_setting_set     (const TlSettingInfo   *info,
                                         TlHostSettings        *settings,
                                         gint64                 value);
gboolean             tl_setting_parse   (const TlSettingInfo   *info,
                                         const char            *text,
                                         gint64                *out,
                                         char                 **message);
char                *tl_setting_format  (const TlSettingInfo   *info,
                                         gint64                 value);

/* ---- single values ---- */

gboolean tl_scenario_read_time     (const char  *text,
                                    TlTime      *out,
                                    char       **message);
gboolean tl_scenario_read_uint     (const char  *text,
                                    const char  *what,
                                    guint64      min,
                                    guint64      max,
                                    guint64     *out,
                                    char       **message);
gboolean tl_scenario_read_switch   (const char  *text,
                                    gboolean    *out,
                                    char       **message);
gboolean tl_scenario_read_bytes    (const char  *text,
                                    const char  *what,
                                    guint64      min,
                                    guint64      max,
                                    guint64     *out,
                                    char       **message);
gboolean tl_scenario_read_kernel   (const char  *text,
                                    guint64     *out,
                                    char       **message);
gboolean tl_scenario_read_address  (const char  *text,
                                    guint32     *out,
                                    char       **message);
gboolean tl_scenario_read_loss     (const char  *text,
                                    guint32     *out_ppm,
                                    char       **message);
gboolean tl_scenario_read_rate     (const char  *text,
                                    guint64     *out_bps,
                                    char       **message);
gboolean tl_scenario_read_profile  (const char  *text,
                                    TlProfileId *out,
                                    char       **message);
gboolean tl_scenario_read_read_mode (const char  *text,
                                     TlReadMode  *out,
                                     char       **message);
gboolean tl_scenario_read_shut_how (const char  *text,
                                    TlShutHow   *out,
                                    char       **message);
gboolean tl_scenario_read_sockopt  (const char  *text,
                                    TlSockopt   *out,
                                    char       **message);
/* Checks a setsockopt value (syncnt 1..127, switches 0/1) and reads it. */
gboolean tl_scenario_read_sockopt_value (TlSockopt   option,
                                         const char *text,
                                         gint64     *out,
                                         char      **message);
/* "0s..2.5s" (spaces around ".." allowed). */
gboolean tl_scenario_read_window   (const char    *text,
                                    TlPauseWindow *out,
                                    char         **message);
/* C-style escapes \n \r \t \\ \" \xHH.  On failure *error_at is the byte
 * offset of the bad escape. */
gboolean tl_scenario_unescape      (const char  *text,
                                    gsize        length,
                                    GByteArray  *out,
                                    gsize       *error_at,
                                    char       **message);

gboolean tl_scenario_host_name_valid (const char  *name,
                                      char       **message);
gboolean tl_scenario_text_is_word    (const char  *text);

/* Writers: the exact inverse of the readers ("2.5s", "32MiB", "10M"...). */
char    *tl_scenario_format_time     (TlTime       t);
char    *tl_scenario_format_bytes    (guint64      bytes);
char    *tl_scenario_format_kernel   (guint        version);
char    *tl_scenario_format_address  (guint32      addr);
char    *tl_scenario_format_loss     (guint32      ppm);
char    *tl_scenario_format_rate     (guint64      bps);
void     tl_scenario_append_quoted   (GString     *out,
                                      const guint8 *data,
                                      gsize        length);
const char *tl_scenario_sockopt_name (TlSockopt    option);
const char *tl_scenario_shut_how_name (TlShutHow   how);
const char *tl_scenario_read_mode_name (TlReadMode mode);

/* Text of a value as it goes into a message: at most 40 characters. */
char    *tl_scenario_clip            (const char  *text);
/* Collapses runs of white space into one space and trims the ends. */
char    *tl_scenario_normalize_text  (const char  *text);

/* The closest of CANDIDATES to WORD if it is close enough to be a typo. */
const char *tl_scenario_suggest      (const char         *word,
                                      const char * const *candidates,
                                      guint               n_candidates);

/* ---- scenario helpers ---- */

/* "file" or "<string>" for messages. */
const char *tl_scenario_label        (const TlScenario *scenario);
/* Sorts the host's calls by time, stable, and renumbers the ordinals. */
void        tl_scenario_sort_calls   (TlScenarioHost   *host);
gint        tl_scenario_find_host    (const TlScenario *scenario,
                                      const char       *name);
/* Call kind by the name used in files ("connect"); TL_CALL_NONE if none. */
TlCallKind  tl_scenario_call_from_name (const char *name);
const char *tl_scenario_call_name      (TlCallKind  kind);

extern const char * const tl_scenario_call_names[];
extern const guint        tl_scenario_n_call_names;

G_END_DECLS
