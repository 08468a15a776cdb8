{{/* Chart name, truncated to the 63 characters a label value allows. */}}
{{- define "litellm-synapse.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full resource name: <release>-<chart>, or the release name when it already contains the chart name. */}}
{{- define "litellm-synapse.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* helm.sh/chart label value. */}}
{{- define "litellm-synapse.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The image tag: image.tag, else the chart's appVersion. */}}
{{- define "litellm-synapse.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Recommended labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */}}
{{- define "litellm-synapse.labels" -}}
helm.sh/chart: {{ include "litellm-synapse.chart" . }}
{{ include "litellm-synapse.selectorLabels" . }}
app.kubernetes.io/version: {{ include "litellm-synapse.imageTag" . | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: litellm-synapse
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "litellm-synapse.selectorLabels" -}}
app.kubernetes.io/name: {{ include "litellm-synapse.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "litellm-synapse.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "litellm-synapse.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* repository:tag, repository:tag@digest. */}}
{{- define "litellm-synapse.image" -}}
{{- $ref := printf "%s:%s" .Values.image.repository (include "litellm-synapse.imageTag" .) }}
{{- if .Values.image.digest }}
{{- $ref = printf "%s@%s" $ref .Values.image.digest }}
{{- end }}
{{- $ref }}
{{- end }}

{{/* Where the projected credentials volume is mounted; each referenced secret is one file in it. */}}
{{- define "litellm-synapse.credentialsDir" -}}
/etc/litellm-synapse
{{- end }}

{{/* The known_hosts Secret name (defaults to the SSH key's Secret). */}}
{{- define "litellm-synapse.knownHostsSecret" -}}
{{- $ssh := .Values.git.auth.ssh }}
{{- default $ssh.secretName $ssh.knownHosts.secretName }}
{{- end }}

{{/*
Checks the settings that depend on each other; values.schema.json checks the types.
Fails the render with a message that says what to set.
*/}}
{{- define "litellm-synapse.validate" -}}
{{- $missing := list }}
{{- if not .Values.git.repo }}{{ $missing = append $missing "git.repo" }}{{ end }}
{{- if not .Values.git.path }}{{ $missing = append $missing "git.path" }}{{ end }}
{{- if not .Values.gateway.url }}{{ $missing = append $missing "gateway.url" }}{{ end }}
{{- if not .Values.gateway.apiKey.secretName }}{{ $missing = append $missing "gateway.apiKey.secretName" }}{{ end }}
{{- $auth := .Values.git.auth }}
{{- if and (eq $auth.method "token") (not $auth.token.secretName) }}{{ $missing = append $missing "git.auth.token.secretName (git.auth.method is token)" }}{{ end }}
{{- if eq $auth.method "password" }}
{{- if not $auth.username }}{{ $missing = append $missing "git.auth.username (git.auth.method is password)" }}{{ end }}
{{- if not $auth.password.secretName }}{{ $missing = append $missing "git.auth.password.secretName (git.auth.method is password)" }}{{ end }}
{{- end }}
{{- if and (eq $auth.method "ssh") (not $auth.ssh.secretName) }}{{ $missing = append $missing "git.auth.ssh.secretName (git.auth.method is ssh)" }}{{ end }}
{{- if .Values.ingress.enabled }}
{{- if not .Values.ingress.host }}{{ $missing = append $missing "ingress.host (ingress.enabled is true)" }}{{ end }}
{{- if not .Values.webhook.secret.secretName }}{{ $missing = append $missing "webhook.secret.secretName (the Ingress exposes /webhook, which is off without a secret)" }}{{ end }}
{{- end }}
{{- if $missing }}
{{- fail (printf "litellm-synapse: set %s" (join ", " $missing)) }}
{{- end }}
{{- if and (ne .Values.controller.mode "sync") .Values.controller.prune }}
{{- fail "litellm-synapse: controller.prune needs controller.mode sync (observe mode never writes)" }}
{{- end }}
{{- if and .Values.controller.allowMassDelete (not .Values.controller.prune) }}
{{- fail "litellm-synapse: controller.allowMassDelete only makes sense with controller.prune" }}
{{- end }}
{{- end }}

{{/* The `litellm-synapse watch` arguments. Secrets are passed as file paths, never as values. */}}
{{- define "litellm-synapse.args" -}}
{{- $dir := include "litellm-synapse.credentialsDir" . }}
{{- $c := .Values.controller }}
{{- $auth := .Values.git.auth }}
- watch
- --repo
- {{ .Values.git.repo | quote }}
{{- with .Values.git.ref }}
- --ref
- {{ . | quote }}
{{- end }}
- --path
- {{ .Values.git.path | quote }}
- --state-dir
- {{ .Values.state.mountPath | quote }}
- --interval
- {{ .Values.git.interval | quote }}
- --mode
- {{ $c.mode | quote }}
{{- if not $c.selfHeal }}
- --no-self-heal
{{- end }}
{{- if $c.prune }}
- --prune
{{- end }}
{{- if $c.allowMassDelete }}
- --allow-mass-delete
{{- end }}
{{- if $c.adopt }}
- --adopt
{{- end }}
{{- with $c.tenant }}
- --tenant
- {{ . | quote }}
{{- end }}
- --listen
- {{ printf "0.0.0.0:%d" (int .Values.containerPort) | quote }}
- --log-level
- {{ $c.logLevel | quote }}
- --report-retention
- {{ $c.reportRetention | quote }}
- --gateway-url
- {{ .Values.gateway.url | quote }}
- --api-key-file
- {{ printf "%s/gateway-api-key" $dir | quote }}
{{- if or .Values.gateway.ca.configMapName .Values.gateway.ca.secretName }}
- --ca-file
- {{ printf "%s/gateway-ca.crt" $dir | quote }}
{{- end }}
- --concurrency
- {{ .Values.gateway.concurrency | quote }}
- --timeout
- {{ .Values.gateway.timeoutSeconds | quote }}
{{- if .Values.webhook.secret.secretName }}
- --webhook-secret-file
- {{ printf "%s/webhook-secret" $dir | quote }}
{{- end }}
{{- if .Values.reconcile.token.secretName }}
- --reconcile-token-file
- {{ printf "%s/reconcile-token" $dir | quote }}
{{- end }}
{{- if eq $auth.method "token" }}
- --git-token-file
- {{ printf "%s/git-token" $dir | quote }}
{{- with $auth.username }}
- --git-username
- {{ . | quote }}
{{- end }}
{{- else if eq $auth.method "password" }}
- --git-username
- {{ $auth.username | quote }}
- --git-password-file
- {{ printf "%s/git-password" $dir | quote }}
{{- else if eq $auth.method "ssh" }}
- --ssh-key-file
- {{ printf "%s/ssh-privatekey" $dir | quote }}
{{- if $auth.ssh.passphraseKey }}
- --ssh-passphrase-file
- {{ printf "%s/ssh-passphrase" $dir | quote }}
{{- end }}
- --known-hosts-file
- {{ printf "%s/known_hosts" $dir | quote }}
{{- end }}
{{- range $c.extraArgs }}
- {{ . | quote }}
{{- end }}
{{- end }}
