/* Material for MkDocs 9.8.2, partials/javascripts/base.html (MIT licence), moved out of line so the
   Content-Security-Policy needs no inline script: identical code, except that the scope comes from the
   data-md-scope attribute of this <script> (the page-relative base URL Material inlines). Checked against
   the installed Material by tests/test_quality_security.py. */
__md_scope=new URL(document.currentScript.dataset.mdScope,location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
