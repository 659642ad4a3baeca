"""The portal: pages and a JSON API over the services, served by ``patentpool serve``."""
