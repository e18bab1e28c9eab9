/*
 * The exports of mf.dll the redirect forwards to the system's mf.dll: every
 * export of Windows 10's mf.dll (def/mf-redirect.def) but the two it answers
 * itself, MFCreateMediaSession and MFCreatePMPMediaSession (session.c).
 *
 *   FORWARD(name, bytes)        documented: bytes is the size of its
 *                               arguments on i386 (stdcall pops them), so a
 *                               forward the system lacks can return an error
 *   FORWARD_UNDOCUMENTED(name)  no public prototype: a forward the system
 *                               lacks can only fail like a missing import
 *
 * The thunks pass the caller's registers and stack through untouched, so the
 * prototypes themselves are never needed.
 */
#ifndef MFSESSION_REDIRECT_EXPORTS_H
#define MFSESSION_REDIRECT_EXPORTS_H

#define REDIRECT_FORWARDS \
    FORWARD_UNDOCUMENTED(AppendPropVariant) \
    FORWARD_UNDOCUMENTED(ConvertPropVariant) \
    FORWARD_UNDOCUMENTED(CopyPropertyStore) \
    FORWARD_UNDOCUMENTED(CreateNamedPropertyStore) \
    FORWARD(DllCanUnloadNow, 0) \
    FORWARD(DllGetClassObject, 12) \
    FORWARD(DllRegisterServer, 0) \
    FORWARD(DllUnregisterServer, 0) \
    FORWARD_UNDOCUMENTED(ExtractPropVariant) \
    FORWARD(MFCreate3GPMediaSink, 16) \
    FORWARD(MFCreateAC3MediaSink, 12) \
    FORWARD(MFCreateADTSMediaSink, 12) \
    FORWARD(MFCreateASFByteStreamPlugin, 8) \
    FORWARD(MFCreateASFContentInfo, 4) \
    FORWARD(MFCreateASFIndexer, 4) \
    FORWARD(MFCreateASFIndexerByteStream, 16) \
    FORWARD(MFCreateASFMediaSink, 8) \
    FORWARD(MFCreateASFMediaSinkActivate, 12) \
    FORWARD(MFCreateASFMultiplexer, 4) \
    FORWARD(MFCreateASFProfile, 4) \
    FORWARD(MFCreateASFProfileFromPresentationDescriptor, 8) \
    FORWARD(MFCreateASFSplitter, 4) \
    FORWARD(MFCreateASFStreamSelector, 8) \
    FORWARD(MFCreateASFStreamingMediaSink, 8) \
    FORWARD(MFCreateASFStreamingMediaSinkActivate, 12) \
    FORWARD(MFCreateAggregateSource, 8) \
    FORWARD_UNDOCUMENTED(MFCreateAppSourceProxy) \
    FORWARD(MFCreateAudioRenderer, 8) \
    FORWARD(MFCreateAudioRendererActivate, 4) \
    FORWARD_UNDOCUMENTED(MFCreateByteCacheFile) \
    FORWARD_UNDOCUMENTED(MFCreateCacheManager) \
    FORWARD(MFCreateCredentialCache, 4) \
    FORWARD(MFCreateDeviceSource, 8) \
    FORWARD(MFCreateDeviceSourceActivate, 8) \
    FORWARD_UNDOCUMENTED(MFCreateDrmNetNDSchemePlugin) \
    FORWARD(MFCreateEncryptedMediaExtensionsStoreActivate, 16) \
    FORWARD(MFCreateFMPEG4MediaSink, 16) \
    FORWARD_UNDOCUMENTED(MFCreateFileBlockMap) \
    FORWARD_UNDOCUMENTED(MFCreateFileSchemePlugin) \
    FORWARD_UNDOCUMENTED(MFCreateHttpSchemePlugin) \
    FORWARD_UNDOCUMENTED(MFCreateLPCMByteStreamPlugin) \
    FORWARD_UNDOCUMENTED(MFCreateMP3ByteStreamPlugin) \
    FORWARD(MFCreateMP3MediaSink, 8) \
    FORWARD(MFCreateMPEG4MediaSink, 16) \
    FORWARD_UNDOCUMENTED(MFCreateMediaProcessor) \
    FORWARD(MFCreateMuxSink, 28) \
    FORWARD_UNDOCUMENTED(MFCreateNSCByteStreamPlugin) \
    FORWARD(MFCreateNetSchemePlugin, 8) \
    FORWARD_UNDOCUMENTED(MFCreatePMPHost) \
    FORWARD(MFCreatePMPServer, 8) \
    FORWARD(MFCreatePresentationClock, 4) \
    FORWARD(MFCreatePresentationDescriptorFromASFProfile, 8) \
    FORWARD(MFCreateProtectedEnvironmentAccess, 4) \
    FORWARD(MFCreateProxyLocator, 12) \
    FORWARD(MFCreateRemoteDesktopPlugin, 4) \
    FORWARD_UNDOCUMENTED(MFCreateSAMIByteStreamPlugin) \
    FORWARD(MFCreateSampleCopierMFT, 4) \
    FORWARD(MFCreateSampleGrabberSinkActivate, 12) \
    FORWARD_UNDOCUMENTED(MFCreateSecureHttpSchemePlugin) \
    FORWARD(MFCreateSequencerSegmentOffset, 16) \
    FORWARD(MFCreateSequencerSource, 8) \
    FORWARD_UNDOCUMENTED(MFCreateSequencerSourceRemoteStream) \
    FORWARD(MFCreateSimpleTypeHandler, 4) \
    FORWARD_UNDOCUMENTED(MFCreateSoundEventSchemePlugin) \
    FORWARD(MFCreateSourceResolver, 4) \
    FORWARD(MFCreateStandardQualityManager, 4) \
    FORWARD(MFCreateTopoLoader, 4) \
    FORWARD(MFCreateTopology, 4) \
    FORWARD(MFCreateTopologyNode, 8) \
    FORWARD(MFCreateTranscodeProfile, 4) \
    FORWARD(MFCreateTranscodeSinkActivate, 4) \
    FORWARD(MFCreateTranscodeTopology, 16) \
    FORWARD(MFCreateTranscodeTopologyFromByteStream, 16) \
    FORWARD_UNDOCUMENTED(MFCreateUrlmonSchemePlugin) \
    FORWARD(MFCreateVideoRenderer, 8) \
    FORWARD(MFCreateVideoRendererActivate, 8) \
    FORWARD(MFCreateWMAEncoderActivate, 12) \
    FORWARD(MFCreateWMVEncoderActivate, 12) \
    FORWARD(MFEnumDeviceSources, 12) \
    FORWARD(MFGetLocalId, 12) \
    FORWARD_UNDOCUMENTED(MFGetMultipleServiceProviders) \
    FORWARD(MFGetService, 16) \
    FORWARD(MFGetSupportedMimeTypes, 4) \
    FORWARD(MFGetSupportedSchemes, 4) \
    FORWARD(MFGetSystemId, 4) \
    FORWARD(MFGetTopoNodeCurrentType, 16) \
    FORWARD(MFLoadSignedLibrary, 8) \
    FORWARD_UNDOCUMENTED(MFRR_CreateActivate) \
    FORWARD_UNDOCUMENTED(MFReadSequencerSegmentOffset) \
    FORWARD(MFRequireProtectedEnvironment, 4) \
    FORWARD(MFShutdownObject, 4) \
    FORWARD(MFTranscodeGetAudioOutputAvailableTypes, 16) \
    FORWARD_UNDOCUMENTED(MergePropertyStore) \
    /* end */

#endif
