/* placeholder */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
extern int cli_contact_placeholder;
