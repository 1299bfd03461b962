/* The first line of cpkit-diag --jsonl: the host's facts (schema
 * cpkit.host/1), so that a fleet audit fetches one file a host and
 * cpkit-diag --merge knows which machine, system and cpkit each file
 * comes from. Redacted like report.json's facts: the host name, the user
 * and the places searched become keyed placeholders, readers lose their
 * serials. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

cpk_err
cpk_diag_host_line(FILE *o, const cpk_facts *f, const cpk_searched *sv,
    size_t n, const cpk_diag_opts *opt, time_t now)
{
	cpk_redactor *rd = NULL;
	cpk_version_info ver;
	char t[32], host[160], user[160], path[160];
	struct tm tm;
	cpk_json j;
	cpk_err r;

	if (opt->redact && (r = cpk_redactor_new(opt->redact_key,
	    opt->redact_key_len, &rd)) != CPK_OK)
		return r;
	cpk_version_get(&ver);
	snprintf(host, sizeof(host), "%s", f->host);
	snprintf(user, sizeof(user), "%s", f->user);
	if (rd != NULL) {
		/* the kinds report.json uses: the same key, the same words */
		cpk_redact_value(rd, "host", f->host, host, sizeof(host));
		cpk_redact_value(rd, "user", f->user, user, sizeof(user));
	}
	if (gmtime_r(&now, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(t, sizeof(t), "%Y-%m-%dT%H:%M:%SZ", &tm);
	{
		const char *const kv[][2] = {
		    { "schema", CPK_JSON_SCHEMA_HOST }, { "hostname", host },
		    { "os", f->os }, { "kernel", f->kernel },
		    { "cpkit_version", ver.cpkit }, { "user", user },
		    { "generated", t } };

		cpk_json_init(&j, o, CPK_JSON_LINE);
		cpk_json_obj(&j);
		cpk_json_key(&j, "host");
		cpk_json_obj(&j);
		cpk_json_kv_strs(&j, kv, sizeof(kv) / sizeof(kv[0]));
	}
	cpk_json_kv_bool(&j, "redacted", rd != NULL);
	cpk_json_key(&j, "searched");
	cpk_json_arr(&j);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s", "");
		if (rd != NULL)
			cpk_redact_value(rd, "location", sv[i].path, path,
			    sizeof(path));
		cpk_json_obj(&j);
		cpk_json_kv_str(&j, "path", rd != NULL ? path : sv[i].path);
		cpk_json_kv_bool(&j, "present", sv[i].present);
		cpk_json_obj_end(&j);
	}
	cpk_json_arr_end(&j);
	cpk_json_key(&j, "readers");
	cpk_json_readers(&j, f, rd != NULL);
	cpk_json_obj_end(&j);
	cpk_json_obj_end(&j);
	cpk_redactor_free(&rd);
	return cpk_json_done(&j);
}
