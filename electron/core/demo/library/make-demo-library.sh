#!/usr/bin/env bash
# Regenerates the built-in demo library: 9 call recordings (8 short ones and one of about three
# minutes, so that seeking far into it over a slow link needs a new Range request; see README.md),
# named as LiveKit Egress names them (outbound-{phone digits}_{unix seconds}.mp4), one Egress
# manifest, and calls.json (the call list, one object per call in the documented list-field shape;
# 2 of the calls have no recording), and exact transcripts of the recorded calls: some as Amazon
# Transcribe output ({base}.transcript.json), the others as WebVTT ({base}.vtt). Their times come from
# how the audio is put together (sample counts), so the turns match the audio to the sample.
#
# Needs espeak-ng, sox, ffmpeg (with ffprobe) and bc from apt. Deterministic and idempotent: it
# removes what it generated before and writes the same bytes on every run.
#
# Audio: AAC in MP4, 16 kHz, 32 kbit/s (the long call 16 kbit/s, to stay small), faststart, metadata
# stripped, bit-exact. Two-party calls are stereo with the agent on the left channel and the
# customer on the right, turns alternating without overlap; voicemails are mono (agent only).
set -euo pipefail
export LC_ALL=C.UTF-8
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

readonly AGENT_VOICE=en-us+f4   # "Ava from Northwind Billing"
readonly RATE=16000
readonly GAPS=(0.35 0.45 0.3 0.5 0.4)   # silence between turns, cycled

rm -f ./outbound-*.mp4 ./outbound-*.json ./outbound-*.vtt ./calls.json

# silence SECONDS OUT: mono 16 kHz 16-bit silence.
silence() { sox -D -r "$RATE" -c 1 -b 16 -n "$2" trim 0 "$1"; }

# say VOICE WPM TEXT OUT: speech as mono 16 kHz 16-bit, leading and trailing silence trimmed (so that
# the gaps between turns are the GAPS above), 2 dB of headroom so that resampling does not clip.
say() {
  espeak-ng -v "$1" -s "$2" -w "$tmp/raw.wav" "$3"
  sox -D "$tmp/raw.wav" -r "$RATE" -c 1 -b 16 "$4" gain -2 \
    silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
}

# encode IN OUT CHANNELS [BITRATE]
encode() {
  ffmpeg -loglevel error -y -i "$1" -ac "$3" -ar "$RATE" -c:a aac -b:a "${4:-32k}" -map_metadata -1 \
    -fflags +bitexact -flags:a +bitexact -movflags +faststart "$2"
}

# conversation OUT CUSTOMER_VOICE CUSTOMER_WPM [BITRATE] < turns
# Each input line is "A: text" (agent, left), "C: text" (customer, right) or "P: seconds" (a longer
# pause on both channels, added to the usual gap: someone looks something up or is on hold).
# Each turn's first and last sample go to $tmp/turns.tsv (see transcribe_json and webvtt).
conversation() {
  local out=$1 voice=$2 wpm=$3 bitrate=${4:-32k} n=0 p=0 pos who line len
  local left=() right=()
  : > "$tmp/turns.tsv"
  silence 0.3 "$tmp/lead.wav"; left+=("$tmp/lead.wav"); right+=("$tmp/lead.wav")
  pos=$(soxi -s "$tmp/lead.wav")
  while IFS= read -r line; do
    [[ -z $line ]] && continue
    who=${line%%:*}; line=${line#*: }
    if [[ $who == P ]]; then
      silence "$line" "$tmp/p$p.wav"; left+=("$tmp/p$p.wav"); right+=("$tmp/p$p.wav")
      pos=$((pos + $(soxi -s "$tmp/p$p.wav")))
      p=$((p + 1)); continue
    fi
    if [[ $who == A ]]; then say "$AGENT_VOICE" 180 "$line" "$tmp/t$n.wav"
    else say "$voice" "$wpm" "$line" "$tmp/t$n.wav"; fi
    len=$(soxi -s "$tmp/t$n.wav")
    sox -D -r "$RATE" -c 1 -b 16 -n "$tmp/s$n.wav" trim 0 "${len}s"
    silence "${GAPS[$((n % ${#GAPS[@]}))]}" "$tmp/g$n.wav"
    printf '%s\t%d\t%d\t%s\n' "$who" "$pos" "$((pos + len))" "$line" >> "$tmp/turns.tsv"
    pos=$((pos + len + $(soxi -s "$tmp/g$n.wav")))
    if [[ $who == A ]]; then left+=("$tmp/t$n.wav"); right+=("$tmp/s$n.wav")
    else left+=("$tmp/s$n.wav"); right+=("$tmp/t$n.wav"); fi
    left+=("$tmp/g$n.wav"); right+=("$tmp/g$n.wav")
    n=$((n + 1))
  done
  sox -D "${left[@]}" "$tmp/left.wav"
  sox -D "${right[@]}" "$tmp/right.wav"
  sox -D -M "$tmp/left.wav" "$tmp/right.wav" "$tmp/stereo.wav"
  encode "$tmp/stereo.wav" "$out" 2 "$bitrate"
}

# voicemail OUT TEXT: mono, the mailbox tone then the agent's message.
voicemail() {
  silence 0.6 "$tmp/lead.wav"
  sox -D -r "$RATE" -c 1 -b 16 -n "$tmp/beep.wav" synth 0.35 sine 1000 vol 0.25
  silence 0.4 "$tmp/pause.wav"
  say "$AGENT_VOICE" 180 "$2" "$tmp/msg.wav"
  silence 0.5 "$tmp/tail.wav"
  local start=$(( $(soxi -s "$tmp/lead.wav") + $(soxi -s "$tmp/beep.wav") + $(soxi -s "$tmp/pause.wav") ))
  printf 'A\t%d\t%d\t%s\n' "$start" "$((start + $(soxi -s "$tmp/msg.wav")))" "$2" > "$tmp/turns.tsv"
  sox -D "$tmp/lead.wav" "$tmp/beep.wav" "$tmp/pause.wav" "$tmp/msg.wav" "$tmp/tail.wav" "$tmp/mono.wav"
  encode "$tmp/mono.wav" "$1" 1
}

# transcribe_json OUT: the call's turns ($tmp/turns.tsv) as Amazon Transcribe writes a job with
# channel identification: ch_0 the agent (left), ch_1 the customer (right); a word item per word with
# string start_time/end_time in seconds, a punctuation item (no times) per mark. A turn's first word
# starts and its last word ends where its speech does; the words between share the turn by length.
transcribe_json() {
  local base=${1%.transcript.json}
  awk -F '\t' -v rate="$RATE" -v job="$base" '
    function q(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function t(s) { return q(sprintf("%.3f", s / rate)) }
    BEGIN { id = 0 }
    function add(ch, json) { items = items (id ? ",\n      " : "      ") json; chitems[ch] = chitems[ch] (chitems[ch] == "" ? "" : ",\n            ") json; id++ }
    {
      ch = ($1 == "A") ? "ch_0" : "ch_1"; used[ch] = 1
      start = $2; end = $3; n = split($4, word, " "); total = 0
      for (i = 1; i <= n; i++) { w = word[i]; gsub(/[^A-Za-z0-9]/, "", w); weight[i] = length(w) + 1; total += weight[i] }
      at = start; first = id
      for (i = 1; i <= n; i++) {
        w = word[i]; mark = ""
        if (match(w, /[.,?!]+$/)) { mark = substr(w, RSTART); w = substr(w, 1, RSTART - 1) }
        span = (end - start) * weight[i] / total
        stop = (i == n) ? end : at + span * 0.9
        add(ch, "{\"id\": " id ", \"type\": \"pronunciation\", \"alternatives\": [{\"confidence\": \"0.999\", \"content\": " q(w) "}], \"start_time\": " t(at) ", \"end_time\": " t(stop) ", \"channel_label\": \"" ch "\"}")
        for (m = 1; m <= length(mark); m++)
          add(ch, "{\"id\": " id ", \"type\": \"punctuation\", \"alternatives\": [{\"confidence\": \"0.0\", \"content\": " q(substr(mark, m, 1)) "}], \"channel_label\": \"" ch "\"}")
        at += span
      }
      ids = ""; for (k = first; k < id; k++) ids = ids (k > first ? ", " : "") k
      segments = segments (NR > 1 ? ",\n      " : "      ") "{\"id\": " NR - 1 ", \"transcript\": " q($4) ", \"start_time\": " t(start) ", \"end_time\": " t(end) ", \"channel_label\": \"" ch "\", \"items\": [" ids "]}"
      text = text (NR > 1 ? " " : "") $4
    }
    END {
      channels = ""; count = 0
      for (c = 0; c <= 1; c++) {
        ch = "ch_" c; if (!(ch in used)) continue
        channels = channels (count ? ",\n" : "") "        {\n          \"channel_label\": \"" ch "\",\n          \"items\": [\n            " chitems[ch] "\n          ]\n        }"
        count++
      }
      print "{"
      print "  \"jobName\": " q(job) ","
      print "  \"accountId\": \"123456789012\","
      print "  \"status\": \"COMPLETED\","
      print "  \"results\": {"
      print "    \"transcripts\": [{\"transcript\": " q(text) "}],"
      print "    \"channel_labels\": {\n      \"channels\": [\n" channels "\n      ],\n      \"number_of_channels\": " count "\n    },"
      print "    \"items\": [\n" items "\n    ],"
      print "    \"audio_segments\": [\n" segments "\n    ]"
      print "  }"
      print "}"
    }' "$tmp/turns.tsv" > "$1"
}

# webvtt OUT: the call's turns ($tmp/turns.tsv) as WebVTT, a cue per turn with its speaker's voice tag.
webvtt() {
  awk -F '\t' -v rate="$RATE" '
    function ts(s,   ms) { ms = int(s * 1000 / rate + 0.5); return sprintf("%02d:%02d:%02d.%03d", int(ms / 3600000), int(ms / 60000) % 60, int(ms / 1000) % 60, ms % 1000) }
    BEGIN { print "WEBVTT" }
    {
      text = $4; gsub(/&/, "\\&amp;", text); gsub(/</, "\\&lt;", text); gsub(/>/, "\\&gt;", text)
      printf "\n%d\n%s --> %s\n<v %s>%s</v>\n", NR, ts($2), ts($3), ($1 == "A" ? "Agent" : "Customer"), text
    }' "$tmp/turns.tsv" > "$1"
}

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%S.000Z; }
duration_of() { ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"; }

entries=()
# call ID NAME PHONE_DIGITS DISPATCH_TS RECORDING_TS|- STATUS OUTCOME|null [DURATION END_OFFSET]
# With a recording, duration is the audio length rounded and end_time = recording start + duration.
# Without one, DURATION and END_OFFSET (seconds after dispatch) are given.
call() {
  local id=$1 name=$2 phone=$3 dispatch=$4 rec=$5 status=$6 outcome=$7 dur end
  if [[ $rec != - ]]; then
    dur=$(printf '%.0f' "$(duration_of "outbound-${phone}_${rec}.mp4")")
    end=$((rec + dur))
  else
    dur=$8; end=$((dispatch + $9))
  fi
  [[ $outcome == null ]] || outcome="\"$outcome\""
  entries+=("$(printf '  {\n    "interaction_id": "%s",\n    "customer_name": "%s",\n    "phone": "+%s",\n    "status": "%s",\n    "outcome": %s,\n    "duration": %d,\n    "start_time": "%s",\n    "end_time": "%s",\n    "dispatch_id": "dispatch_%s_%s"\n  }' \
    "$id" "$name" "$phone" "$status" "$outcome" "$dur" "$(iso "$dispatch")" "$(iso "$end")" "$dispatch" "$phone")")
}

# --- 011 Walter Pruitt: negotiates a payment plan; about three minutes, the one long recording, with
# pauses where he looks things up. Dispatched before the others so it is the oldest in the list. ---
conversation outbound-15035550172_1754412452.mp4 en-us-nyc 165 16k <<'EOF'
A: Hello, this is Ava from Northwind Billing. May I speak with Walter Pruitt?
C: This is Walter.
A: Thanks, Walter. For your security, can you confirm the last four digits of your account number?
C: Hang on, let me find a bill.
P: 3.5
C: Okay, it's four four one seven.
A: Thank you, that matches. I'm calling about your balance of six hundred and forty dollars, which is now sixty days past due.
C: Yeah, I know. I lost some hours at work this summer, and I just can't pay all of that at once.
A: I understand, and I'm sorry to hear that. We do offer payment plans. Roughly how much could you manage each month?
C: Maybe a hundred a month? Would that work?
A: Let me check what your account qualifies for. One moment, please.
P: 4
A: Thanks for waiting. The longest plan I can offer is six months, so the monthly payment would be about one hundred and seven dollars.
C: Hmm. A hundred and seven. That is tight, but I think I can do it.
A: Another option is a smaller payment today. For example, fifty dollars now, and then six payments of about ninety eight dollars.
C: That actually sounds better. I get paid on the first and the fifteenth.
A: Would you like the payments on the sixteenth of each month, the day after your second paycheck?
C: Yes, the sixteenth is good.
A: Great. Would you like automatic payments, or would you rather pay each month yourself?
C: What happens if I miss one?
A: If a payment fails, we will text you and give you ten days to make it up before the plan is cancelled. There are no late fees while the plan is active.
C: Okay. Then let's do automatic. I don't want to forget.
A: Sounds good. For the fifty dollars today, would you like to use the card on file, ending in two two zero nine?
C: No, that card expired. Let me get my new one.
P: 5
C: Alright, I've got it.
A: To keep your card details safe, I will text you a secure payment link instead of taking the number over the phone. I've just sent it to this number.
C: Okay, it just came in. Opening it now.
P: 4
C: It's asking for a zip code.
A: That is the billing zip code for the card.
C: Got it. Okay, it says payment submitted.
A: I can see it. Fifty dollars received, thank you. Your remaining balance is five hundred and ninety dollars.
C: And the rest goes on the same card?
A: Yes. Six payments of ninety eight dollars and thirty three cents will be charged to the new card on the sixteenth, starting next month.
C: Okay. Will you send me something in writing?
A: Yes. You will get an email with the plan agreement and the payment dates within the hour. Please reply to it or call us if anything looks wrong.
C: Alright. And this stops the collection calls?
A: Yes. While your plan is active, your account won't be sent to collections, and you won't get any more calls about this balance.
C: That's a relief, honestly.
A: I'm glad we could work something out. Is there anything else I can help you with today?
C: No, that's everything. Thanks, Ava.
A: Thank you, Walter. Have a good afternoon.
EOF
transcribe_json outbound-15035550172_1754412452.transcript.json

# --- 001 Zoë Ångström: disputes a charge ------------------------------------------------------
conversation outbound-14155550142_1754493137.mp4 en-us+f3 170 <<'EOF'
A: Hi, this is Ava from Northwind Billing. Is this Zoe?
C: Yes, speaking.
A: Your August invoice of eighty nine dollars is still open.
C: I cancelled that plan in July.
A: Understood. I have marked it as disputed.
EOF
webvtt outbound-14155550142_1754493137.vtt
call demo_ava_001 "Zoë Ångström" 14155550142 1754493128 1754493137 COMPLETED DISPUTED

# --- 002 Marcus Okafor: pays in full ------------------------------------------------------------
conversation outbound-13125550178_1754503435.mp4 en-029 175 <<'EOF'
A: Hi Marcus, this is Ava from Northwind Billing. Your balance is one hundred and twenty dollars.
C: Can I pay it all now?
A: Sure. I have texted you a secure link.
C: Done, it says payment received.
A: Thanks. Your balance is now zero.
EOF
transcribe_json outbound-13125550178_1754503435.transcript.json
call demo_ava_002 "Marcus Okafor" 13125550178 1754503431 1754503435 COMPLETED PAID_IN_FULL

# --- 003 Samuel Brooks: the call failed, no recording -------------------------------------------
call demo_ava_003 "Samuel Brooks" 19175550126 1754516850 - FAILED null 0 2

# --- 004 Aisha Bello: rang out, no recording ----------------------------------------------------
call demo_ava_004 "Aisha Bello" 14045550193 1754576286 - NO_ANSWER null 0 35

# --- 005 Priya Raman: asks for a callback -------------------------------------------------------
conversation outbound-12065550119_1754584046.mp4 en-gb-x-rp+f2 175 <<'EOF'
A: Hi Priya, this is Ava from Northwind Billing, about your overdue account.
C: I am driving. Can you call back tomorrow morning?
A: Sure. Would ten o'clock work?
C: Ten is fine.
A: Great, I will call you tomorrow at ten.
EOF
webvtt outbound-12065550119_1754584046.vtt
call demo_ava_005 "Priya Raman" 12065550119 1754584034 1754584046 COMPLETED CALLBACK_REQUESTED

# --- 006 Seamus MacLeod: not interested; dispatched before UTC midnight, recorded after ---------
conversation outbound-16175550163_1754611203.mp4 en-gb-scotland 170 <<'EOF'
A: Good evening, this is Ava from Northwind Billing, about our new autopay plan.
C: I am not interested, thanks.
A: Shall I stop these calls?
C: Yes, take me off the list.
A: Done. Have a good evening.
EOF
transcribe_json outbound-16175550163_1754611203.transcript.json
call demo_ava_006 "Seamus MacLeod" 16175550163 1754611192 1754611203 COMPLETED NOT_INTERESTED

# --- 007 Louis Smith: promises to pay (the spec's example dispatch) ------------------------------
conversation outbound-15103455686_1754653485.mp4 en-gb 170 <<'EOF'
A: Hello, this is Ava from Northwind Billing. Is this Louis Smith?
C: Speaking.
A: Your account is two hundred and forty dollars past due. When can you pay?
C: I can pay it all on Friday.
A: Thanks, I have noted your payment for Friday.
EOF
transcribe_json outbound-15103455686_1754653485.transcript.json
call demo_ava_007 "Louis Smith" 15103455686 1754653479 1754653485 COMPLETED PAYMENT_PROMISED

# --- 008 Diego Herrera: voicemail (mono) ---------------------------------------------------------
voicemail outbound-17135550187_1754671245.mp4 "Hi Diego, this is Ava from Northwind Billing. Please call us back about your account at eight hundred, five five five, zero one four two. Thank you."
transcribe_json outbound-17135550187_1754671245.transcript.json
call demo_ava_008 "Diego Herrera" 17135550187 1754671227 1754671245 VOICEMAIL null

# --- 009 Grace Liu: voicemail (mono) -------------------------------------------------------------
voicemail outbound-13105550134_1754766322.mp4 "Hello Grace, this is Ava from Northwind Billing, reminding you that your payment is due on the fifteenth. If you have already paid, please ignore this message. Thank you."
webvtt outbound-13105550134_1754766322.vtt
call demo_ava_009 "Grace Liu" 13105550134 1754766302 1754766322 VOICEMAIL null

# --- 010 Hannah Kowalski: confirms an appointment ------------------------------------------------
conversation outbound-14125550151_1754771508.mp4 en-gb-x-gbcwmd+f1 175 <<'EOF'
A: Hi Hannah, this is Ava from Northwind Billing, confirming your account review on Tuesday at two.
C: Yes, Tuesday at two works for me.
A: Perfect. We will see you then.
C: Will do, thanks.
EOF
webvtt outbound-14125550151_1754771508.vtt
call demo_ava_010 "Hannah Kowalski" 14125550151 1754771505 1754771508 COMPLETED APPOINTMENT_CONFIRMED

# The long call's entry goes last: it was added after the others, and its id says so.
call demo_ava_011 "Walter Pruitt" 15035550172 1754412443 1754412452 COMPLETED PAYMENT_PLAN_AGREED

# calls.json
{
  echo '['
  for i in "${!entries[@]}"; do
    if (( i < ${#entries[@]} - 1 )); then echo "${entries[$i]},"; else echo "${entries[$i]}"; fi
  done
  echo ']'
} > calls.json

# An Egress manifest beside one recording (times and durations in nanoseconds), as Egress writes
# it next to the file; Tapedeck ignores it when it lists recordings.
manifest() {
  local base=$1 dispatch=$2 phone=$3 rec=$4 egress_id=$5 room_id=$6
  local size dur_ns start_ns end_ns key
  size=$(stat -c %s "$base.mp4")
  dur_ns=$(echo "$(duration_of "$base.mp4") * 1000000000 / 1" | bc)
  start_ns=$(echo "$rec * 1000000000" | bc)
  end_ns=$(echo "$start_ns + $dur_ns" | bc)
  key="egress-recordings/$(date -u -d "@$rec" +%Y/%m/%d)/$base.mp4"
  cat > "$base.json" <<EOF
{
  "egress_id": "$egress_id",
  "room_id": "$room_id",
  "room_name": "dispatch_${dispatch}_${phone}",
  "status": "EGRESS_COMPLETE",
  "started_at": $start_ns,
  "ended_at": $end_ns,
  "files": [
    {
      "filename": "$key",
      "started_at": $start_ns,
      "ended_at": $end_ns,
      "duration": $dur_ns,
      "size": $size,
      "location": "s3://tapedeck-demo/$key"
    }
  ]
}
EOF
}
manifest outbound-15103455686_1754653485 1754653479 15103455686 1754653485 EG_nW4kT8pRz2Qv RM_hY7cJ3mXb5Ld

ls -l ./outbound-* calls.json
