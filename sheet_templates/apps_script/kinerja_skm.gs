/**
 * Kinerja: kirim jawaban Survei Kepuasan Masyarakat (SKM) ke server Kinerja.
 *
 * Dipasang pada Google Form SKM (lihat PASANG.md). Setiap kali warga mengirim
 * formulir, pemicu onFormSubmit menyusun jawaban menjadi JSON, menandatanganinya
 * dengan rahasia bersama (HMAC-SHA256) dan mengirimkannya ke server. Bila server
 * belum menjawab 200/201, pengiriman diulang dengan jeda yang makin panjang.
 *
 * Script Properties (Project Settings > Script Properties):
 *   KINERJA_URL      alamat lengkap, misalnya https://kinerja.contoh.go.id/forms/skm  (wajib)
 *   KINERJA_SECRET   rahasia yang sama dengan KINERJA_WEBHOOK_SECRET di server        (wajib)
 *   KINERJA_FORM_ID  ID formulir bila berbeda dari ID terbit formulir ini           (opsional)
 *   KINERJA_UNIT     unit layanan bila formulir ini tidak menanyakan unit           (opsional)
 *   KINERJA_LAYANAN  jenis layanan bila formulir ini tidak menanyakannya            (opsional)
 *
 * Protocol (for developers): POST JSON (design.md section 5) with headers
 * X-Kinerja-Timestamp (Unix seconds) and X-Kinerja-Signature = hex HMAC-SHA256 of
 * timestamp + "." + body. The body is pure ASCII (non-ASCII characters are sent as
 * \uXXXX escapes), so the signed bytes are the sent bytes whatever the charset.
 */

// Judul pertanyaan non-SKM yang dikenali (huruf besar/kecil, spasi dan tanda baca diabaikan).
// Judul lain dikirim sebagai jawaban unsur SKM. Ubah di sini bila judul di formulir berbeda.
var KINERJA_FIELDS = {
  unit: ['Unit Layanan', 'Unit Layanan yang Dikunjungi'],
  service: ['Jenis Layanan', 'Jenis Layanan yang Diterima'],
  officer_nip: ['NIP Petugas', 'NIP Petugas yang Melayani'],
  suggestion: ['Saran', 'Saran dan Masukan']
};
var KINERJA_PROFILE = {
  jenis_kelamin: ['Jenis Kelamin'],
  usia: ['Usia', 'Umur'],
  pendidikan: ['Pendidikan', 'Pendidikan Terakhir'],
  pekerjaan: ['Pekerjaan', 'Pekerjaan Utama']
};
var KINERJA_MAX_ATTEMPTS = 5;      // 1 + 4 ulangan: jeda 1, 2, 4, 8 detik (+ acak)
var KINERJA_BASE_DELAY_MS = 1000;

/** Pemicu "Saat formulir dikirim": kirim jawaban yang baru masuk. */
function onFormSubmit(e) {
  var form = (e && e.source) ? e.source : FormApp.getActiveForm();
  return kinerjaSend_(kinerjaPayload_(form, e.response));
}

/** Jalankan sekali dari editor: memasang pemicu onFormSubmit pada formulir ini. */
function pasangPemicu() {
  var form = FormApp.getActiveForm();
  ScriptApp.getProjectTriggers().forEach(function (t) {
    if (t.getHandlerFunction() === 'onFormSubmit') ScriptApp.deleteTrigger(t);
  });
  ScriptApp.newTrigger('onFormSubmit').forForm(form).onFormSubmit().create();
  Logger.log('Pemicu terpasang. ID formulir untuk kinerja.toml: ' + kinerjaFormId_(form));
}

/** Jalankan dari editor: uji alamat, rahasia dan pemetaan tanpa menyimpan apa pun (dry run). */
function ujiKinerja() {
  var form = FormApp.getActiveForm();
  var responses = form.getResponses();
  var payload = responses.length ? kinerjaPayload_(form, responses[responses.length - 1])
                                 : kinerjaSamplePayload_(form);
  payload.response_id = 'uji-' + new Date().getTime();
  payload.dry_run = true;
  var code = kinerjaSend_(payload);
  Logger.log('Uji berhasil (' + code + '): alamat, rahasia dan pertanyaan formulir diterima server.');
  return code;
}

/** Jalankan dari editor: menampilkan ID formulir yang dicantumkan di kinerja.toml. */
function tampilkanIdFormulir() {
  var id = kinerjaFormId_(FormApp.getActiveForm());
  Logger.log('ID formulir: ' + id);
  return id;
}

function kinerjaPayload_(form, response) {
  var props = PropertiesService.getScriptProperties();
  var payload = {
    form_id: kinerjaFormId_(form),
    response_id: response.getId(),
    submitted_at: response.getTimestamp().toISOString(),
    unit: props.getProperty('KINERJA_UNIT') || undefined,
    service: props.getProperty('KINERJA_LAYANAN') || undefined,
    answers: {},
    profile: {}
  };
  var fields = kinerjaLookup_(KINERJA_FIELDS);
  var profile = kinerjaLookup_(KINERJA_PROFILE);
  response.getItemResponses().forEach(function (itemResponse) {
    var title = itemResponse.getItem().getTitle();
    var value = itemResponse.getResponse();
    if (Array.isArray(value)) value = value.join(', ');  // kotak centang
    var key = kinerjaKey_(title);
    if (fields[key]) {
      payload[fields[key]] = String(value).trim();
    } else if (profile[key]) {
      payload.profile[profile[key]] = value;
    } else {
      payload.answers[title] = value;
    }
  });
  return payload;
}

function kinerjaSamplePayload_(form) {
  var payload = {form_id: kinerjaFormId_(form), response_id: 'uji', answers: {}, profile: {},
                 submitted_at: new Date().toISOString()};
  var props = PropertiesService.getScriptProperties();
  payload.unit = props.getProperty('KINERJA_UNIT') || undefined;
  payload.service = props.getProperty('KINERJA_LAYANAN') || 'Uji';
  var fields = kinerjaLookup_(KINERJA_FIELDS);
  var profile = kinerjaLookup_(KINERJA_PROFILE);
  form.getItems().forEach(function (item) {
    var key = kinerjaKey_(item.getTitle());
    var value = kinerjaFirstChoice_(item);
    if (value === null) return;
    if (fields[key]) payload[fields[key]] = value;
    else if (profile[key]) payload.profile[profile[key]] = value;
    else payload.answers[item.getTitle()] = value;
  });
  return payload;
}

function kinerjaFirstChoice_(item) {
  var type = String(item.getType());
  if (type === 'MULTIPLE_CHOICE') return item.asMultipleChoiceItem().getChoices()[0].getValue();
  if (type === 'LIST') return item.asListItem().getChoices()[0].getValue();
  if (type === 'TEXT' || type === 'PARAGRAPH_TEXT') return '';
  return null;
}

function kinerjaSend_(payload) {
  var props = PropertiesService.getScriptProperties();
  var url = props.getProperty('KINERJA_URL');
  var secret = props.getProperty('KINERJA_SECRET');
  if (!url || !secret) {
    throw new Error('KINERJA_URL dan KINERJA_SECRET belum diisi di Script Properties (lihat PASANG.md).');
  }
  var body = kinerjaJson_(payload);
  var last = '';
  for (var attempt = 1; attempt <= KINERJA_MAX_ATTEMPTS; attempt++) {
    var timestamp = String(Math.floor(Date.now() / 1000));  // fresh for every attempt
    var options = {
      method: 'post',
      contentType: 'application/json',
      payload: body,
      headers: {
        'X-Kinerja-Timestamp': timestamp,
        'X-Kinerja-Signature': kinerjaSign_(timestamp + '.' + body, secret)
      },
      muteHttpExceptions: true,
      followRedirects: false
    };
    try {
      var response = UrlFetchApp.fetch(url, options);
      var code = response.getResponseCode();
      if (code === 200 || code === 201) {
        Logger.log('Jawaban ' + payload.response_id + ' terkirim (' + code + ').');
        return code;
      }
      last = code + ' ' + response.getContentText();
      // Other 4xx answers will not change by retrying: the form or the settings need fixing.
      if (code >= 400 && code < 500 && code !== 408 && code !== 429) break;
    } catch (err) {
      last = String(err);  // network error: retry
    }
    if (attempt < KINERJA_MAX_ATTEMPTS) {
      Utilities.sleep(KINERJA_BASE_DELAY_MS * Math.pow(2, attempt - 1) + Math.floor(Math.random() * 250));
    }
  }
  // Throwing marks the run as failed, so Google e-mails the form owner; the answer stays in the
  // form's responses and is recovered with `kinerja surveys reconcile`.
  throw new Error('Jawaban ' + payload.response_id + ' gagal dikirim ke Kinerja: ' + last);
}

function kinerjaSign_(message, secret) {
  var bytes = Utilities.computeHmacSha256Signature(message, secret, Utilities.Charset.UTF_8);
  return bytes.map(function (b) { return ('0' + (b & 0xff).toString(16)).slice(-2); }).join('');
}

function kinerjaJson_(payload) {
  return JSON.stringify(payload).replace(/[\u007f-\uffff]/g, function (c) {
    return '\\u' + ('0000' + c.charCodeAt(0).toString(16)).slice(-4);
  });
}

function kinerjaKey_(text) {
  return String(text).normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function kinerjaLookup_(table) {
  var out = {};
  Object.keys(table).forEach(function (name) {
    table[name].forEach(function (title) { out[kinerjaKey_(title)] = name; });
  });
  return out;
}

function kinerjaFormId_(form) {
  var configured = PropertiesService.getScriptProperties().getProperty('KINERJA_FORM_ID');
  if (configured) return configured;
  var match = /\/forms\/d\/e\/([^\/]+)\//.exec(form.getPublishedUrl() || '');
  return match ? match[1] : form.getId();
}
