(function(){
  const fr=document.getElementById('fr'),fs=document.getElementById('fs'),so=document.getElementById('so'),bl=document.getElementById('bl');
  const main=document.getElementById('groups'),count=document.getElementById('count');
  function fit(svg){const img=svg.previousElementSibling;if(!img)return;const r=()=>{svg.style.width=img.clientWidth+'px';svg.style.height=img.clientHeight+'px'};if(img.complete)r();else img.onload=r;}
  document.querySelectorAll('.th svg').forEach(fit);
  document.querySelectorAll('.th.sensitive').forEach(t=>t.addEventListener('click',()=>t.classList.toggle('shown')));
  function apply(){
    let shown=0;
    document.querySelectorAll('.card').forEach(c=>{
      const ok=(!fr.value||c.dataset.reasons.split(' ').includes(fr.value))&&(!fs.value||c.dataset.status===fs.value)&&(!bl.checked||c.dataset.borderline==='true');
      c.style.display=ok?'':'none';if(ok)shown++;});
    document.querySelectorAll('.ex').forEach(g=>{const any=[...g.querySelectorAll('.card')].some(c=>c.style.display!=='none');g.style.display=(any||!g.querySelector('.card'))&&!(fr.value||fs.value||bl.checked)&&!g.querySelector('.card')?'':(any?'':'none');});
    const gs=[...document.querySelectorAll('.ex')];
    const key=g=>so.value==='score'?-Math.max(0,...[...g.querySelectorAll('.card')].map(c=>+c.dataset.score)):+g.dataset.line;
    gs.sort((a,b)=>key(a)-key(b)).forEach(g=>main.appendChild(g));
    count.textContent=shown+' image(s) shown';
  }
  [fr,fs,so,bl].forEach(e=>e.addEventListener('change',apply));apply();
})();
