/* Material for MkDocs 9.8.2, partials/javascripts/content.html (MIT licence; the hash-target script),
   moved out of line for the Content-Security-Policy. Checked by tests/test_quality_security.py. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
