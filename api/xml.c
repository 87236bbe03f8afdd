/* api/xml.c — see xml.h. expat builds the tree; this file only adds the
 * limits and the lookups. */
#include "api/xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <openssl/crypto.h>

/* Namespace URIs are split from local names by this byte (expat's NS mode). */
#define NS_SEP '\x01'

struct builder {
    XML_Parser parser;
    struct xml_node *root, *cur;
    int depth;
    size_t nodes;
    const char *failure; /* our own reason to stop, static */
};

static void node_free(struct xml_node *n)
{
    while (n) {
        struct xml_node *next = n->next;
        node_free(n->first_child);
        if (n->text) {
            OPENSSL_cleanse(n->text, n->text_cap);
            free(n->text);
        }
        free(n->name);
        free(n);
        n = next;
    }
}

void api_xml_free(struct xml_node *root)
{
    node_free(root);
}

static void stop(struct builder *b, const char *why)
{
    if (!b->failure)
        b->failure = why;
    XML_StopParser(b->parser, XML_FALSE);
}

static void XMLCALL on_start(void *ctx, const XML_Char *name, const XML_Char **attrs)
{
    struct builder *b = ctx;
    const char *local = strrchr(name, NS_SEP);
    struct xml_node *n;

    (void)attrs;
    if (b->failure)
        return;
    if (b->depth >= API_XML_MAX_DEPTH) {
        stop(b, "nested deeper than 64 elements");
        return;
    }
    if (b->nodes >= API_XML_MAX_NODES) {
        stop(b, "more than 200000 elements");
        return;
    }
    if (!b->cur && b->root) {
        stop(b, "more than one root element");
        return;
    }
    n = calloc(1, sizeof *n);
    if (n) {
        n->name = strdup(local ? local + 1 : name);
        n->text = calloc(1, 1);
        n->text_cap = 1;
    }
    if (!n || !n->name || !n->text) {
        if (n) {
            free(n->name);
            free(n->text);
            free(n);
        }
        stop(b, "out of memory");
        return;
    }
    n->parent = b->cur;
    if (b->cur) {
        if (b->cur->last_child)
            b->cur->last_child->next = n;
        else
            b->cur->first_child = n;
        b->cur->last_child = n;
    } else {
        b->root = n;
    }
    b->cur = n;
    b->depth++;
    b->nodes++;
}

static void XMLCALL on_end(void *ctx, const XML_Char *name)
{
    struct builder *b = ctx;

    (void)name;
    if (b->failure || !b->cur)
        return;
    b->cur = b->cur->parent;
    b->depth--;
}

static void XMLCALL on_text(void *ctx, const XML_Char *s, int len)
{
    struct builder *b = ctx;
    struct xml_node *n = b->cur;

    if (b->failure || !n || len <= 0)
        return;
    /* expat may hand text over a few bytes at a time (one per entity):
     * grow by doubling, or a long text would cost quadratic time. */
    if (n->text_len + (size_t)len + 1 > n->text_cap) {
        size_t cap = n->text_cap ? n->text_cap : 32;
        while (cap < n->text_len + (size_t)len + 1)
            cap *= 2;
        char *grown = malloc(cap);
        if (!grown) {
            stop(b, "out of memory");
            return;
        }
        memcpy(grown, n->text, n->text_len + 1);
        OPENSSL_cleanse(n->text, n->text_cap);
        free(n->text);
        n->text = grown;
        n->text_cap = cap;
    }
    memcpy(n->text + n->text_len, s, (size_t)len);
    n->text_len += (size_t)len;
    n->text[n->text_len] = '\0';
}

static void XMLCALL on_doctype(void *ctx, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    stop(ctx, "a document type declaration (DTD) is not accepted");
}

static void XMLCALL on_entity_decl(void *ctx, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_len, const XML_Char *base,
                                   const XML_Char *sysid, const XML_Char *pubid,
                                   const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)value_len, (void)base, (void)sysid, (void)pubid,
        (void)notation;
    stop(ctx, "entity declarations are not accepted");
}

struct xml_node *api_xml_parse(const char *data, size_t len, struct api_error *err)
{
    struct builder b = {0};
    enum XML_Status st;

    if (!data || len == 0) {
        api_error_set(err, API_ERR_HTTP, "the answer is empty, not XML");
        return NULL;
    }
    if (len > (size_t)0x7fffffff) {
        api_error_set(err, API_ERR_HTTP, "the XML answer is too large");
        return NULL;
    }
    b.parser = XML_ParserCreateNS("UTF-8", NS_SEP);
    if (!b.parser) {
        api_error_set(err, API_ERR_HTTP, "out of memory");
        return NULL;
    }
    XML_SetUserData(b.parser, &b);
    XML_SetElementHandler(b.parser, on_start, on_end);
    XML_SetCharacterDataHandler(b.parser, on_text);
    XML_SetStartDoctypeDeclHandler(b.parser, on_doctype);
    XML_SetEntityDeclHandler(b.parser, on_entity_decl);
    st = XML_Parse(b.parser, data, (int)len, XML_TRUE);
    if (b.failure) {
        api_error_set(err, API_ERR_HTTP, "XML answer refused at line %lu: %s",
                      (unsigned long)XML_GetCurrentLineNumber(b.parser), b.failure);
    } else if (st != XML_STATUS_OK) {
        api_error_set(err, API_ERR_HTTP, "malformed XML answer at line %lu: %s",
                      (unsigned long)XML_GetCurrentLineNumber(b.parser),
                      XML_ErrorString(XML_GetErrorCode(b.parser)));
    } else if (!b.root) {
        api_error_set(err, API_ERR_HTTP, "the answer has no XML element");
    }
    XML_ParserFree(b.parser);
    if (b.failure || st != XML_STATUS_OK || !b.root) {
        node_free(b.root);
        return NULL;
    }
    return b.root;
}

const struct xml_node *api_xml_child(const struct xml_node *n, const char *name)
{
    for (const struct xml_node *c = n ? n->first_child : NULL; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

const struct xml_node *api_xml_path(const struct xml_node *n, const char *path)
{
    char step[512];
    const char *p = path;

    if (!n || !path || strlen(path) >= sizeof step)
        return NULL;
    while (n && *p) {
        size_t k = strcspn(p, "/");
        memcpy(step, p, k);
        step[k] = '\0';
        n = api_xml_child(n, step);
        p += k;
        if (*p == '/')
            p++;
    }
    return n;
}

const char *api_xml_text(const struct xml_node *n, const char *path)
{
    const struct xml_node *e = api_xml_path(n, path);
    return e ? e->text : NULL;
}

bool api_xml_true(const struct xml_node *n, const char *path)
{
    const char *t = api_xml_text(n, path);
    return t && strcmp(t, "true") == 0;
}
