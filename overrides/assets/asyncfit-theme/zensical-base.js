/* Zensical 0.0.73, partials/javascripts/base.html (MIT licence), moved out of line so the Content-Security-Policy
   needs no inline script: identical code, except that the scope comes from the data-md-scope attribute of this
   <script> (the page-relative base URL Zensical inlines). Loaded under Zensical only, instead of md-scope.js;
   checked against the installed Zensical by tests/test_zensical.py. */
__md_scope=new URL(document.currentScript.dataset.mdScope,location),__md_scope.pathname.endsWith("/")||(__md_scope=new URL(__md_scope.pathname+"/",location)),__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem(_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}catch(e){}},document.documentElement.setAttribute("data-platform",navigator.platform)
