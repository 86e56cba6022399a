#!/usr/bin/env bash
# Downloads the FULL public traces that are not in the shared folder into datasets/raw/.
# Usage: bash datasets/download.sh [all|philly-raw|helios|swf|openb]...
# Needs internet access, curl, tar, gunzip, unzip and sha256sum. Never run by tests or CI.
# Sources and licences: datasets/README.md.
set -euo pipefail

RAW="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/raw"
mkdir -p "$RAW"

fetch() { # url dest: download once (resumable), via a .part file so a failed run leaves no bad file
  local url="$1" dest="$2"
  if [[ -s "$dest" ]]; then echo "have $dest"; return; fi
  mkdir -p "$(dirname "$dest")"
  echo "get  $url"
  curl -fL --retry 3 -C - -o "$dest.part" "$url"
  mv "$dest.part" "$dest"
}

philly_raw() { # Microsoft Philly 2017, CC BY 4.0 (msr-fiddle/philly-traces, Git LFS object)
  local tgz="$RAW/philly/trace-data.tar.gz"
  fetch https://github.com/msr-fiddle/philly-traces/raw/master/trace-data.tar.gz "$tgz"
  echo "2037ccf63a725a02be718b0e1aeee6142c90b7f62d0d849295120e9f6ba13d2c  $tgz" | sha256sum -c -
  if [[ ! -f "$RAW/philly/trace-data/cluster_job_log" ]]; then tar -xzf "$tgz" -C "$RAW/philly"; fi
  echo "philly-raw: $RAW/philly/trace-data/cluster_job_log"
}

helios() { # SenseTime Helios 2020, CC BY 4.0 (S-Lab-System-Group/HeliosData)
  local zip="$RAW/helios/data.zip"
  fetch https://github.com/S-Lab-System-Group/HeliosData/raw/master/data.zip "$zip"
  if [[ ! -f "$RAW/helios/data/Venus/cluster_log.csv" ]]; then unzip -q -o "$zip" -d "$RAW/helios"; fi
  echo "helios: $RAW/helios/data/<Venus|Earth|Saturn|Uranus>/cluster_log.csv"
}

swf() { # Parallel Workloads Archive (acknowledge the source named in each log's header)
  local base=https://www.cs.huji.ac.il/labs/parallel/workload
  local logs=(
    l_sdsc_sp2/SDSC-SP2-1998-4.2-cln.swf.gz
    l_hpc2n/HPC2N-2002-2.2-cln.swf.gz
    l_ctc_sp2/CTC-SP2-1996-3.1-cln.swf.gz
    l_kth_sp2/KTH-SP2-1996-2.1-cln.swf.gz
    l_anl_int/ANL-Intrepid-2009-1.swf.gz
    l_nasa_ipsc/NASA-iPSC-1993-3.1-cln.swf.gz
  )
  for l in "${logs[@]}"; do
    local gz="$RAW/swf/$(basename "$l")"
    fetch "$base/$l" "$gz"
    if [[ ! -f "${gz%.gz}" ]]; then gunzip -k "$gz"; fi
  done
  echo "swf: $RAW/swf/*.swf"
}

openb() { # Alibaba GPU 2023 pod-list variants, research/study use (alibaba/clusterdata)
  local base=https://github.com/alibaba/clusterdata/raw/master/cluster-trace-gpu-v2023/csv
  local v
  # The 23 variants next to the default list (repository listing, cluster-trace-gpu-v2023/csv/).
  for v in cpu0 cpu037 cpu050 cpu072 cpu100 cpu200 cpu235 cpu250 cpu300 \
    gpushare20 gpushare40 gpushare60 gpushare80 gpushare100 \
    gpuspec05 gpuspec10 gpuspec20 gpuspec25 gpuspec33 \
    multigpu20 multigpu30 multigpu40 multigpu50; do
    fetch "$base/openb_pod_list_$v.csv" "$RAW/openb/openb_pod_list_$v.csv"
  done
  echo "openb: $RAW/openb/openb_pod_list_*.csv"
}

targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(all)
for t in "${targets[@]}"; do
  case "$t" in
    all) philly_raw; helios; swf; openb ;;
    philly-raw) philly_raw ;;
    helios) helios ;;
    swf) swf ;;
    openb) openb ;;
    *) echo "unknown target '$t' (all, philly-raw, helios, swf, openb)" >&2; exit 2 ;;
  esac
done
