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
	fputs("{\"host\":{\"schema\":\"" CPK_JSON_SCHEMA_HOST "\",\"hostname\":",
	    o);
	cpk_json_str(o, host);
	fputs(",\"os\":", o);
	cpk_json_str(o, f->os);
	fputs(",\"kernel\":", o);
	cpk_json_str(o, f->kernel);
	fputs(",\"cpkit_version\":", o);
	cpk_json_str(o, ver.cpkit);
	fputs(",\"user\":", o);
	cpk_json_str(o, user);
	fputs(",\"generated\":", o);
	cpk_json_str(o, t);
	fprintf(o, ",\"redacted\":%s,\"searched\":[",
	    rd != NULL ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s", "");
		if (rd != NULL)
			cpk_redact_value(rd, "location", sv[i].path, path,
			    sizeof(path));
		fputs(i ? ",{\"path\":" : "{\"path\":", o);
		cpk_json_str(o, rd != NULL ? path : sv[i].path);
		fprintf(o, ",\"present\":%s}", sv[i].present ? "true" :
		    "false");
	}
	fputs("],\"readers\":", o);
	cpk_json_readers(o, f, rd != NULL);
	fputs("}}\n", o);
	cpk_redactor_free(&rd);
	return ferror(o) ? CPK_E_IO : CPK_OK;
}
