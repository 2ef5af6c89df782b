{{- define "flagedge.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- define "flagedge.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
{{/* The container's security context: nothing to escalate, nothing writable but what is mounted. */}}
{{- define "flagedge.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
{{- define "flagedge.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}
{{/* The edge pods' config: with an origin tier, its api_url and realtime stream are the origin's. */}}
{{- define "flagedge.edgeConfig" -}}
{{- if .Values.origin.enabled -}}
{{- $origin := printf "http://%s-origin:%v" (include "flagedge.fullname" .) .Values.service.port -}}
{{- merge (dict "api_url" (printf "%s/api/v1" $origin) "realtime_upstream_url" (printf "%s/" $origin)) (omit .Values.config "api_url" "realtime_upstream_url") | toJson -}}
{{- else -}}
{{- .Values.config | toJson -}}
{{- end -}}
{{- end -}}
{{/* Edge pods: the chart's labels and their component, so that the origin's pods are never selected. */}}
{{- define "flagedge.edgeLabels" -}}
{{ include "flagedge.labels" . }}
app.kubernetes.io/component: edge
{{- end -}}
