"""The web page for staff, trainers and administrators (issue 34): tornado and Jinja2, served by the product itself, offline."""
