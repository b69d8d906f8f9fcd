"""The application layer: the ``ruralsim`` command line (:mod:`ruralsim.app.cli`) and the planner's
dashboard (:mod:`ruralsim.app.dashboard`, page :mod:`ruralsim.app.app`, run by ``ruralsim dashboard``)."""
