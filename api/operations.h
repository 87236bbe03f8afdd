/* api/operations.h — the one table of the 23 cognito-identity operations and
 * the model shapes their inputs and outputs are made of.
 *
 * OWNER: the api core work.
 *
 * The table (api/operations_table.c) is GENERATED from the botocore model by
 * scripts/gen-operations.py (re-run it when tests/emulator/model/service-2.json
 * changes; never edit the output by hand). The flags the model does not carry
 * (mutates, pure read, repeatable, re-read) come from lists in that script,
 * which follow DESIGN.md "read-only guard" and issue 11. tests/api/test_operations_table.py dumps
 * this table (build/ops-dump) and compares it with the model member by member.
 *
 * Shapes are referred to by index into api_shapes[]; -1 means "none".
 */
#ifndef API_OPERATIONS_H
#define API_OPERATIONS_H

#include <stdbool.h>
#include <stddef.h>

enum api_shape_type {
    API_SHAPE_STRUCTURE,
    API_SHAPE_LIST,
    API_SHAPE_MAP,
    API_SHAPE_STRING,
    API_SHAPE_BOOLEAN,
    API_SHAPE_INTEGER,
    API_SHAPE_LONG,
    API_SHAPE_TIMESTAMP,
};

struct api_member {
    const char *name;
    int shape;
    bool required;
};

struct api_shape {
    const char *name;
    enum api_shape_type type;
    /* string: length in code points; list: items; map: entries; integer/long: value. */
    bool has_min, has_max;
    long long min, max;
    const char *pattern; /* string: the model's regex, verbatim; NULL = none */
    const char *const *enum_values;
    int n_enum;
    const struct api_member *members; /* structure */
    int n_members;
    int member;     /* list: element shape */
    int key, value; /* map */
    bool sensitive; /* never printed (dry run redacts it) */
};

struct api_operation {
    const char *name;
    int input;        /* shape index; -1 = no input (never the case in this model) */
    int output;       /* shape index; -1 = no output (2xx with an empty body is success) */
    bool mutates;     /* changes state on the service: journaled by the console and verbs */
    bool is_unsigned; /* public API: sent without an Authorization header */
    bool pure_read;   /* allowed by the read-only guard */
    /* Deepest JSON nesting a well-formed answer can have (objects and arrays;
     * an error body is 1). Deeper answers are refused before they are parsed. */
    int max_response_depth;
    /* Safe to send again once an earlier attempt's outcome is unknown (sent,
     * no complete answer): reads, credential issuing, and the writes whose
     * repeat leaves the service as one application does (UpdateIdentityPool,
     * SetIdentityPoolRoles, SetPrincipalTagAttributeMap, DeleteIdentities,
     * DeleteIdentityPool). False for CreateIdentityPool, GetId,
     * GetOpenIdTokenForDeveloperIdentity, MergeDeveloperIdentities, the two
     * unlinks, TagResource and UntagResource: api/client.c never retries them
     * after an unknown outcome (the reasons are in scripts/gen-operations.py). */
    bool repeatable;
    /* For a write that replaces a whole resource: the pure read that shows
     * that resource (its input: the write's members of the same names). Used
     * for the lost-update check before sending and to reconcile after an
     * unknown outcome (api/reconcile.h). NULL for every other operation. */
    const char *reread;
};

extern const struct api_shape api_shapes[];
extern const size_t api_n_shapes;
extern const struct api_operation api_operations[];
extern const size_t api_n_operations;

/* Exact, case-sensitive name ("ListIdentityPools"). NULL when unknown. */
const struct api_operation *api_operation_find(const char *name);

/* The shape at `index`, or NULL for -1 / out of range. */
const struct api_shape *api_shape_at(int index);

#endif
