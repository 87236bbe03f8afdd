/* api/xml.h — AWS query-protocol answers (IAM, STS) read into a small tree
 * with expat (libexpat1-dev), not by scraping.
 *
 * Contract:
 *  - api_xml_parse() reads a whole document into a tree of elements. Each
 *    element keeps its local name (a namespace URI or prefix is dropped:
 *    AWS answers put everything in one default namespace) and the character
 *    data directly inside it, entities and character references decoded by
 *    expat. Attributes are not kept (AWS answers carry none that matter).
 *  - Refused, with API_ERR_HTTP and a message naming the line: text that is
 *    not well-formed XML (truncated, mismatched tags, bad entities, bytes that
 *    are not UTF-8), a document type declaration (AWS never sends one, and
 *    refusing it rules out entity-expansion attacks), nesting deeper than
 *    API_XML_MAX_DEPTH, more than API_XML_MAX_NODES elements, or an empty body.
 *  - The tree is owned by the caller: api_xml_free() wipes every text
 *    (OPENSSL_cleanse: STS answers carry secret keys) and frees it.
 *  - Lookups never fail loudly: a missing element gives NULL.
 *
 * Pure: no I/O. Not thread-safe per tree, but trees are independent.
 */
#ifndef API_XML_H
#define API_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "api/error.h"

#define API_XML_MAX_DEPTH 64
#define API_XML_MAX_NODES 200000

struct xml_node {
    char *name; /* local name, never NULL */
    char *text; /* character data directly inside, NUL-terminated, never NULL */
    size_t text_len;
    size_t text_cap; /* private: bytes allocated for text */
    struct xml_node *parent, *first_child, *last_child, *next;
};

/* Parses `len` bytes of `data`. Returns the root element, or NULL with err
 * filled as above. */
struct xml_node *api_xml_parse(const char *data, size_t len, struct api_error *err);

/* Wipes and frees a tree (NULL is fine). */
void api_xml_free(struct xml_node *root);

/* The first child element of `n` named `name`, or NULL. */
const struct xml_node *api_xml_child(const struct xml_node *n, const char *name);

/* The element at `path` below `n`: names separated by '/', each step the first
 * child of that name ("GetRoleResult/Role/Arn"). An empty path is `n`. NULL
 * when a step is missing or the path is longer than 512 bytes. */
const struct xml_node *api_xml_path(const struct xml_node *n, const char *path);

/* The text of the element at `path` (api_xml_path), or NULL when absent. */
const char *api_xml_text(const struct xml_node *n, const char *path);

/* Whether the element at `path` holds "true" (as IAM writes booleans). */
bool api_xml_true(const struct xml_node *n, const char *path);

#endif
