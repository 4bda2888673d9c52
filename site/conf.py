# Sphinx configuration of the course site (npm run site builds it from the executed notebooks).
project = "VAE notebook kit"
extensions = ["nbsphinx"]
# The notebooks are the executed copies written by `npm run notebooks`: never run them again.
nbsphinx_execute = "never"
# MathJax 2 from the copy that scripts/site.ts puts in _static/ (Debian's libjs-mathjax), with the CommonHTML
# output that Jupyter uses (the HTML-CSS output asks the browser for a font at about:blank).
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_CHTML"
html_static_path = ["_static"]
html_theme = "alabaster"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
# The kit's figures carry plotly.js themselves and need no RequireJS (nbsphinx would load it from a CDN).
nbsphinx_requirejs_path = ""
# Previous / next links on every page, beside the table of contents.
html_sidebars = {"**": ["about.html", "navigation.html", "relations.html", "searchbox.html"]}
html_theme_options = {"description": "From the autoencoder to the VAE, on real MNIST", "page_width": "1160px"}
html_show_copyright = False
