/*
 * not_a_plugin.c - a shared object that is not a pgsafe plugin: it exports
 * a function, but not pgsafe_plugin_manifest(). The loader must say so.
 */
int not_a_plugin_answer(void);

int not_a_plugin_answer(void)
{
	return 42;
}
