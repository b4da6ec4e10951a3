## extensions/extensions.mk - example extensions (libtool modules) and the out-of-tree template
#
# The examples are linked straight into $(top_builddir)/extensions/, so
#     mo --extensions $(top_builddir)/extensions ...
# finds them without installing anything; their sources sit in one folder
# each.  `make install` does not install them: mo loads the default
# extension directory whenever --extensions is not given, and an example
# there would take part in every conversion.  Ask for them explicitly:
#     make install-example-extensions      (into $(pkglibdir)/extensions)
#     make uninstall-example-extensions
# The template is installed as source into $(pkgdatadir)/extension-template,
# ready to be copied and built against the installed SDK with pkg-config.
mo_extensiondir = $(pkglibdir)/extensions
MO_EXAMPLE_EXTENSIONS = extensions/mxnet_custom_scale.la extensions/new_op.la
noinst_LTLIBRARIES += $(MO_EXAMPLE_EXTENSIONS)
# -rpath makes libtool build a loadable module although it is noinst
MO_EXAMPLE_LDFLAGS = $(MO_PLUGIN_FLAGS) -rpath $(mo_extensiondir)

extensions_mxnet_custom_scale_la_SOURCES = extensions/mxnet_custom_scale/mxnet_custom_scale.c
extensions_mxnet_custom_scale_la_LDFLAGS = $(MO_EXAMPLE_LDFLAGS)
extensions_mxnet_custom_scale_la_LIBADD = libmo.la

extensions_new_op_la_SOURCES = extensions/new_op/new_op.c
extensions_new_op_la_LDFLAGS = $(MO_EXAMPLE_LDFLAGS)
extensions_new_op_la_LIBADD = libmo.la

mo_templatedir = $(pkgdatadir)/extension-template
dist_mo_template_DATA = extensions/template/Makefile extensions/template/my_extension.c

# libtool relinks the modules against the installed libmo, so that goes first
install-example-extensions: install-libLTLIBRARIES $(MO_EXAMPLE_EXTENSIONS)
	$(MKDIR_P) '$(DESTDIR)$(mo_extensiondir)'
	$(LIBTOOL) $(AM_LIBTOOLFLAGS) $(LIBTOOLFLAGS) --mode=install $(INSTALL) \
		$(MO_EXAMPLE_EXTENSIONS) '$(DESTDIR)$(mo_extensiondir)'

uninstall-example-extensions:
	for m in $(MO_EXAMPLE_EXTENSIONS); do \
		$(LIBTOOL) $(AM_LIBTOOLFLAGS) $(LIBTOOLFLAGS) --mode=uninstall \
			rm -f '$(DESTDIR)$(mo_extensiondir)'/`basename $$m`; \
	done

.PHONY: install-example-extensions uninstall-example-extensions
