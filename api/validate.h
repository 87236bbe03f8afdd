/* api/validate.h — checks a request against the model's constraints before
 * anything is signed or sent (DESIGN.md "validation").
 *
 * OWNER: the api core work.
 *
 * Rules, as the service applies them:
 *  - structure: a JSON object; every `required` member present (JSON null
 *    counts as absent); no member the model does not know.
 *  - string: a JSON string of valid UTF-8; length min/max counted in Unicode
 *    code points, not bytes (Smithy length trait: "the number of Unicode
 *    scalar values", smithy.io/2.0/spec/constraint-traits.html#length-trait);
 *    enum values exactly; pattern matched against the WHOLE value (the
 *    service's Java validation uses Matcher.matches(); the model writes the
 *    patterns unanchored) with PCRE2 in UTF + UCP mode so `\p{L}`, `\w` and
 *    `\s` take Unicode classes. Each pattern is compiled once and cached.
 *  - list: a JSON array, items min/max; map: a JSON object, entries min/max,
 *    keys checked as strings against the key shape.
 *  - boolean: true/false; integer/long: a JSON integer within min/max;
 *    timestamp: a number (epoch seconds) or a string.
 *
 * On failure: API_ERR_INVALID_INPUT, `field` = the member path
 * ("Roles.authenticated", "CognitoIdentityProviders[2].ClientId",
 * "Logins.graph.facebook.com"), and the message names the path and the rule.
 */
#ifndef API_VALIDATE_H
#define API_VALIDATE_H

#include <stddef.h>

#include <json-c/json.h>

#include "api/error.h"

/* Checks `value` against shape `shape_index` (api_shapes[]). NULL is an empty
 * object. Returns 0, or -1 with err filled. */
int api_validate(int shape_index, json_object *value, struct api_error *err);

/* Checks one value as typed for a member of `operation`'s input, by the
 * same rules as a whole request (the console's form fields validate
 * through this, so no form holds a copy of a rule).
 *
 * `member` is a path from the input structure: member names joined by
 * '.', "[]" for the items of a list, "{key}" and "{value}" for the keys and
 * values of a map:
 *   "IdentityPoolName"  "CognitoIdentityProviders[].ClientId"
 *   "IdentityPoolTags{key}"  "Roles{value}"
 *   "RoleMappings{value}.RulesConfiguration.Rules[].RoleARN"
 * The path must end at a string (length, enum, pattern) or an integer
 * (`value` read as a decimal number, then its range).
 *
 * Returns 0 when the value passes; -1 with err filled otherwise:
 * API_ERR_INVALID_INPUT, err->field = `member`, err->message "MEMBER: what
 * is wrong" as api_validate() says it. An unknown operation, a path the
 * model does not have or that ends elsewhere is also -1, with a message
 * naming the path (a caller's bug, never the user's). */
int api_validate_member(const char *operation, const char *member, const char *value,
                        struct api_error *err);

/* The shape (an index into api_shapes[]) that `member`, a path as for
 * api_validate_member, leads to in `operation`'s input; -1 when there is
 * none. Lets a form take an enum's values from the model. */
int api_member_shape(const char *operation, const char *member);

/* Number of code points in the UTF-8 string s[0..n), or -1 when it is not
 * valid UTF-8 (overlong forms, surrogates, beyond U+10FFFF, truncated). */
long api_utf8_length(const char *s, size_t n);

/* Whether s[0..n) matches the model pattern of shape `shape_index` as a whole:
 * 1 yes, 0 no, -1 error (bad pattern, no pattern, out of memory) with err. */
int api_pattern_match(int shape_index, const char *s, size_t n, struct api_error *err);

/* Frees the compiled patterns (tests and leak checkers; safe to call twice). */
void api_validate_cleanup(void);

#endif
