"""Per-thread-group context switches and CPU of Java processes between two moments.

usage: thread-switches.py OUT PID...  (driven by bench/tools/connect-window)
Prints "ready"; on a stdin line "b" it snapshots every thread's counters from /proc, on "a N" it
snapshots again and writes OUT: per process and per thread group (jstack names, digits as #) the
voluntary and involuntary context switches and CPU ms per handshake, N handshakes in the window.
"""
import collections
import os
import re
import subprocess
import sys
import time

pids=sys.argv[2:]; out_path=sys.argv[1]
def names(pid):
  out=subprocess.run(['jstack',pid],capture_output=True,text=True).stdout
  m={}
  for line in out.splitlines():
    mm=re.match(r'^"([^"]*)".* nid=(0x[0-9a-f]+)',line)
    if mm: m[str(int(mm.group(2),16))]=mm.group(1)
  return m
NM={p:names(p) for p in pids}
def snap(pid):
  d={}
  for t in os.listdir(f'/proc/{pid}/task'):
    try:
      name=NM[pid].get(t) or open(f'/proc/{pid}/task/{t}/comm').read().strip()
      st=open(f'/proc/{pid}/task/{t}/status').read()
      v=int(st.split('voluntary_ctxt_switches:')[1].split()[0]); nv=int(st.split('nonvoluntary_ctxt_switches:')[1].split()[0])
      stat=open(f'/proc/{pid}/task/{t}/stat').read().rsplit(')',1)[1].split()
      d[t]=(name,v,nv,int(stat[11])+int(stat[12]))
    except Exception: pass
  return d
print("ready",flush=True)
before=None
for line in sys.stdin:
  if line.startswith('b'):
    before={p:snap(p) for p in pids}; t0=time.time(); print("snapped",flush=True)
  elif line.startswith('a'):
    after={p:snap(p) for p in pids}; el=time.time()-t0; n=int(line.split()[1])
    with open(out_path,'w') as out:
      for p in pids:
        a=before[p]; b=after[p]
        g=collections.defaultdict(lambda:[0,0,0,0])
        for t,(name,v,nv,cpu) in b.items():
          a0=a.get(t,(name,0,0,0)); key=re.sub(r'\d+','#',name)
          g[key][0]+=v-a0[1]; g[key][1]+=nv-a0[2]; g[key][2]+=cpu-a0[3]; g[key][3]+=1
        tot=[sum(x[i] for x in g.values()) for i in range(3)]
        out.write(f"pid {p}: {n} handshakes in {el:.2f}s; per handshake vol {tot[0]/n:.2f} invol {tot[1]/n:.2f} cpu ms {tot[2]*10/n:.3f}\n")
        for k,x in sorted(g.items(),key=lambda kv:-(kv[1][0]+kv[1][1]))[:10]:
          out.write(f"   {k[:58]:58s} thr {x[3]:3d} vol {x[0]/n:6.2f} invol {x[1]/n:5.2f} cpu ms {x[2]*10/n:.3f}\n")
    print("done",flush=True); break
