/* mo/mo.h - everything a plugin or an embedding program needs. */
#ifndef MO_MO_H
#define MO_MO_H

#include <mo/version.h>
#include <mo/status.h>
#include <mo/types.h>
#include <mo/tensor.h>
#include <mo/attr.h>
#include <mo/graph.h>
#include <mo/body.h>
#include <mo/op.h>
#include <mo/options.h>
#include <mo/log.h>
#include <mo/plugin.h>
#include <mo/context.h>
#include <mo/ir.h>
#include <mo/build.h>
#include <mo/replace_config.h>

#endif
