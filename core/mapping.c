/* mapping.c - CustomLayersMapping.xml (filled in by the custom-layer work). */
#include <config.h>

#include <stdlib.h>

struct mo_mapping;
void mo_mapping_free(struct mo_mapping *m);

void mo_mapping_free(struct mo_mapping *m) { free(m); }
